"""The regional portfolio: dashboard figures, filters and exports."""
