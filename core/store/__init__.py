"""What is kept between runs: profiles, their JSON form, history, the keychain, the config folder.

`config` finds the config folder and writes files atomically; `profiles` and `profile_json` hold
saved setups (never a secret); `history` the recent results per profile; `secret_store` the
secrets, only in the OS keychain via keyring (or in memory). It may use `core.token` models; it
imports nothing from `core.insight` or `core.cli`, and no Qt (enforced by
tests/test_architecture.py).
"""
