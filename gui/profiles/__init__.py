"""The Profiles column: the list, its actions, import/export, history and the keychain option.

It turns `core.store` data into widgets and back and runs keychain calls on the worker. Its
controller loads a profile into the request form and reads it back through the form's public
methods; nothing here imports `gui.answer`. The window shell wires the column to the other panels.
"""
