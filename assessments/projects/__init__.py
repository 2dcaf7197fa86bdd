"""Capital projects: registering, listing and editing them, and starting a stage assessment."""
