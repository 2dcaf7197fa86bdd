"""Place context: SIMD data zones, the catchment's deprivation profile and map, data loading."""
