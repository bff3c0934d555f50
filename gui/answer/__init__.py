"""The answer pane: verdict banner, Summary, Claims, Raw, Request and Diagnosis, copying.

It shows what core computed (`analysis` runs the core calls the worker executes) and owns the
clipboard guard. It imports nothing from `gui.form` or `gui.profiles`; the window shell wires it.
"""
