"""The desktop window: a thin PySide6 layer over core (forms <-> data, one worker)."""
