"""Scores, ratings and flags: the pure rules, what they read and write, and the one adapter
that stores a snapshot of their result on an assessment."""
