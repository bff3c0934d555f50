"""Using a token: call an API with it (Microsoft Graph or any other), check beforehand which
Graph permissions the call needs and whether the token holds them, explain Graph's refusals, and
read the app's own credential expiry dates from Graph.

Every request goes through `core.token.transport.exchange()` (total deadline, size cap, no
redirects followed with the token) and everything that comes back is masked by the request's
`core.redaction.Scrubber` before anyone sees it. Imports only downwards: core.token,
core.insight and the shared modules (redaction, timefmt, safejson); never store, cli or gui.
"""
