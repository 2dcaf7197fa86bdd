"""Benchmarks (not timed tests): `make bench` runs every bench/<name>.py module's main()."""
