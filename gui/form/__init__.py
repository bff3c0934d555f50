"""The request form: fields, rows, inline pre-flight findings, the URL preview and the secret field.

Widgets here convert the form to and from core data (`TokenRequestInput`, `Profile`) and nothing
else; they send nothing and import nothing from `gui.answer` or `gui.profiles`. The window shell
wires them to the other panels.
"""
