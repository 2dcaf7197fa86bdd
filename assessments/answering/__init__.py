"""Answering a stage assessment, section by section, with optimistic concurrency; the
assessment page's read side."""
