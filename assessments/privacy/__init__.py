"""Data protection: the record of downloads, the privacy notice, retention rules, subject access
and erasure."""
