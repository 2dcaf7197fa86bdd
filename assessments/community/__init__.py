"""The community panel: consultation windows, comments, replies and moderation."""
