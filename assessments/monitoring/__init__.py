"""Outcomes monitoring: indicators, measurements, their charts, imports and reminders."""
