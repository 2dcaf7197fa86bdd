"""Data in and out: project transfer, backup and restore, reference data, demo and scale data."""
