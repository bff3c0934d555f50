"""Check all profiles in the window: the dialog, its table, and the run off the UI thread."""
