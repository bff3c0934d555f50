"""Entra-shaped errors: every AADSTS code the sandbox emits, with its `error` value and status."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# code -> (OAuth `error`, HTTP status, message template). Messages paraphrase Entra's wording.
CATALOG: dict[int, tuple[str, int, str]] = {
    900561: ("invalid_request", 400,
             "The endpoint only accepts POST requests. Received a {method} request."),
    900144: ("invalid_request", 400,
             "The request body must contain the following parameter: '{name}'."),
    70003: ("unsupported_grant_type", 400,
            "The app requested an unsupported grant type '{grant}'."),
    90002: ("invalid_request", 400,
            "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and "
            "are signing into the correct cloud."),
    900023: ("invalid_request", 400,
             "Specified tenant identifier '{tenant}' is neither a valid DNS name, nor a valid "
             "external domain."),
    50059: ("invalid_request", 400,
            "No tenant-identifying information found in either the request or implied by any "
            "provided credentials."),
    9001023: ("invalid_request", 400,
              "The grant type is not supported over the /common or /consumers endpoints. Please "
              "use the /organizations or tenant-specific endpoint."),
    90112: ("invalid_request", 400,
            "Application identifier '{client_id}' is expected to be a GUID."),
    700016: ("unauthorized_client", 400,
             "Application with identifier '{client_id}' was not found in the directory "
             "'{tenant_name}'. This can happen if the application has not been installed by the "
             "administrator of the tenant or consented to by any user in the tenant. You may "
             "have sent your authentication request to the wrong tenant."),
    7000112: ("unauthorized_client", 400, "Application '{client_id}'({app_name}) is disabled."),
    7000215: ("invalid_client", 401,
              "Invalid client secret provided. Ensure the secret being sent in the request is "
              "the client secret value, not the client secret ID, for a secret added to app "
              "'{client_id}'."),
    7000222: ("invalid_client", 401,
              "The provided client secret keys for app '{client_id}' are expired. Create new "
              "keys for your app, or consider using certificate credentials for added "
              "security."),
    7000216: ("invalid_client", 401,
              "'client_assertion', 'client_secret' or 'request' is required for the "
              "'client_credentials' grant type."),
    7000218: ("invalid_client", 401,
              "The request body must contain the following parameter: 'client_assertion' or "
              "'client_secret'."),
    700025: ("invalid_client", 401,
             "Client is public so neither 'client_assertion' nor 'client_secret' should be "
             "presented."),
    901002: ("invalid_request", 400, "The 'resource' request parameter is not supported."),
    1002012: ("invalid_scope", 400,
              "The provided value for scope {scope} is not valid. Client credential flows must "
              "have a scope value with /.default suffixed to the resource identifier "
              "(application ID URI)."),
    700022: ("invalid_scope", 400,
             "The provided value for the input parameter scope is not valid because it "
             "contains more than one resource. Scope {scope} is not valid."),
    70011: ("invalid_scope", 400,
            "The provided value for the input parameter 'scope' is not valid. The scope "
            "{scope} is not valid."),
    500011: ("invalid_resource", 400,
             "The resource principal named {resource} was not found in the tenant named "
             "{tenant_name}. This can happen if the application has not been installed by the "
             "administrator of the tenant or consented to by any user in the tenant. You might "
             "have sent your authentication request to the wrong tenant."),
    65001: ("invalid_grant", 400,
            "The user or administrator has not consented to use the application with ID "
            "'{client_id}' named '{app_name}'. Send an interactive authorization request for "
            "this user and resource."),
    50034: ("invalid_grant", 400,
            "The user account {upn} does not exist in the {tenant_id} directory. To sign into "
            "this application, the account must be added to the directory."),
    50126: ("invalid_grant", 400,
            "Error validating credentials due to invalid username or password."),
    50057: ("invalid_grant", 400, "The user account is disabled."),
    50053: ("invalid_grant", 400,
            "The account is locked, you've tried to sign in too many times with an incorrect "
            "user ID or password."),
    50055: ("invalid_grant", 400,
            "The password is expired. The user must change the password before signing in."),
    50076: ("interaction_required", 400,
            "Due to a configuration change made by your administrator, or because you moved "
            "to a new location, you must use multi-factor authentication to access "
            "'{resource}'."),
    53003: ("interaction_required", 400,
            "Access has been blocked by Conditional Access policies. The access policy does "
            "not allow token issuance."),
    700027: ("invalid_client", 401,
             "Client assertion failed signature validation. [Reason - {reason}, Thumbprint of "
             "key used by client: '{thumbprint}'. Please visit the Azure Portal, Graph Explorer "
             "or directly use MS Graph to see configured keys for app Id '{client_id}'.]"),
    700024: ("invalid_client", 401,
             "Client assertion is not within its valid time range. Current time: {now}, "
             "assertion valid from {nbf}, expiry time of assertion {exp}."),
    50048: ("invalid_client", 401,
            "Subject mismatches Issuer claim in the client assertion for application "
            "'{client_id}'."),
    50027: ("invalid_request", 400, "JWT token is invalid or is malformed: {reason}"),
    50013: ("invalid_client", 401,
            "Assertion is invalid: an assertion with jti '{jti}' was already used. Create a "
            "new assertion for every request."),
    5002738: ("invalid_request", 400,
              "'{alg}' is not a supported signature algorithm. Supported signing algorithms "
              "are: 'RS256, PS256'."),
    70021: ("invalid_request", 400,
            "No matching federated identity record found for presented assertion. Assertion "
            "Issuer: '{iss}'. Assertion Subject: '{sub}'. Assertion Audience: '{aud}'."),
    700211: ("invalid_request", 400,
             "No matching federated identity record found for presented assertion issuer "
             "'{iss}'. Please check your federated identity credential Subject, Audience and "
             "Issuer against the presented assertion."),
    90055: ("temporarily_unavailable", 429,
            "The tenant is being throttled because it sent too many requests. Retry after "
            "{retry_after} seconds."),
}  # fmt: skip

# Delegated sign-in (core/sandbox/authorize.py, delegated.py): pages, redirects, token grants.
SIGNIN_CATALOG: dict[int, tuple[str, int, str]] = {
    50011: ("invalid_request", 400,
            "The redirect URI '{redirect_uri}' specified in the request does not match the "
            "redirect URIs configured for the application '{client_id}'. Make sure the redirect "
            "URI sent in the request matches one added to your application in the Azure "
            "portal."),
    900971: ("invalid_request", 400, "No reply address provided."),
    50149: ("invalid_request", 400,
            "The code_challenge_method '{method}' is not supported; use S256 or plain."),
    501481: ("invalid_grant", 400,
             "The Code_Verifier does not match the code_challenge supplied in the authorization "
             "request."),
    54005: ("invalid_grant", 400,
            "OAuth2 Authorization code was already redeemed, please retry with a new valid "
            "code or use an existing refresh token."),
    70008: ("invalid_grant", 400,
            "The provided authorization code or refresh token has expired due to inactivity. "
            "Send a new interactive authorization request for this user and resource."),
    9002313: ("invalid_grant", 400, "Invalid request. Request is malformed or invalid."),
    65004: ("access_denied", 400, "User declined to consent to access the app."),
    70016: ("authorization_pending", 400,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling."),
    70018: ("bad_verification_code", 400, "Invalid verification code entered."),
    70019: ("expired_token", 400, "Verification code expired."),
}  # fmt: skip
CATALOG.update(SIGNIN_CATALOG)
SIGNIN_CODES: frozenset[int] = frozenset(SIGNIN_CATALOG)

EMITTED_CODES: frozenset[int] = frozenset(CATALOG)


@dataclass
class EntraError(Exception):
    """A refusal the token endpoint answers with an Entra-shaped error body."""

    code: int
    params: dict[str, Any]
    extra: dict[str, Any]

    def __init__(self, code: int, *, extra: dict[str, Any] | None = None, **params: Any) -> None:
        super().__init__(code)
        if code not in CATALOG:
            raise KeyError(f"AADSTS{code} is not in the sandbox catalog")
        self.code, self.params, self.extra = code, params, extra or {}

    @property
    def status(self) -> int:
        return CATALOG[self.code][1]

    def body(self, *, trace_id: str, correlation_id: str, timestamp: str) -> dict[str, Any]:
        """The JSON error body, exactly in Entra's field order and description format."""
        error, _, template = CATALOG[self.code]
        message = template.format(**self.params)
        description = (
            f"AADSTS{self.code}: {message} Trace ID: {trace_id} "
            f"Correlation ID: {correlation_id} Timestamp: {timestamp}"
        )
        body: dict[str, Any] = {
            "error": error,
            "error_description": description,
            "error_codes": [self.code],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
            "error_uri": f"https://login.microsoftonline.com/error?code={self.code}",
        }
        for key, value in self.extra.items():
            body[key] = json.dumps(value, separators=(",", ":")) if key == "claims" else value
        return body
