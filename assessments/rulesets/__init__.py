"""Rule sets as methodology owners change them: a draft started from the published version,
edited parameter by parameter, compared against open assessments, published (then immutable),
and open assessments moved onto it."""
