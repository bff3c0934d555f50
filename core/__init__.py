"""Entra Token Tester core: plain-Python logic, no Qt (enforced by tests/test_architecture.py)."""
