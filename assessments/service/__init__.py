"""The service itself: health checks, the about page and site-wide navigation."""
