"""The read-only JSON API (/api/v1/) and the personal tokens that open it."""
