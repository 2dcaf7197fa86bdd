"""The Place Standard: 14 themes rated 1–7 by the community and by officers, per stage, drawn
as a compass that sets two points in time side by side."""
