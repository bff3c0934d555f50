"""Pure request building: what the user typed -> the exact token request (RFC 6749, Entra)."""

from __future__ import annotations

import base64
from urllib.parse import quote_plus

from core.redaction import Secret, secrets_in
from core.token.authority import get_cloud, token_url, url_problem
from core.token.ids import random_uuid
from core.token.models import (
    JWT_BEARER,
    AuthMethod,
    CredentialKind,
    Endpoint,
    GrantType,
    PreparedRequest,
    TokenRequestInput,
)

USER_AGENT = "entra-token-tester/0.1"


class RequestBuildError(ValueError):
    """The inputs cannot form a request URL at all (pre-flight explains it in full)."""


def request_url(inputs: TokenRequestInput) -> str:
    """The token endpoint the request goes to; raises RequestBuildError when there is none, or
    when it is not a usable URL (the message never repeats credentials found in it)."""
    url = _raw_url(inputs)
    problem = url_problem(url)
    if problem:
        raise RequestBuildError(f"the token URL cannot be used: {problem}")
    return url


def _raw_url(inputs: TokenRequestInput) -> str:
    if inputs.token_url.strip():
        return inputs.token_url.strip()
    try:
        cloud = get_cloud(inputs.cloud)
    except KeyError as exc:
        raise RequestBuildError(str(exc.args[0])) from None
    authority = inputs.authority.strip() or cloud.authority
    if not authority:
        raise RequestBuildError(f"the {cloud.name} cloud has no address yet (is it running?)")
    return token_url(authority, inputs.tenant or "{tenant}", inputs.endpoint)


def basic_credentials(client_id: str, secret: Secret) -> Secret:
    """`Basic base64(form-encoded id ":" form-encoded secret)`, per RFC 6749 section 2.3.1."""
    pair = f"{quote_plus(client_id)}:{quote_plus(secret.reveal())}"
    return Secret("Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii"))


def build_request(
    inputs: TokenRequestInput, *, client_request_id: str | None = None, now: float | None = None
) -> PreparedRequest:
    """Build the token request exactly as it will be sent. No I/O: a certificate must be loaded
    already (`core.token.credential.resolve`); its assertion is signed for `now` (the clock
    when None), with `aud` = the exact token URL.

    The target is sent as typed (`scope` and/or `resource`), so an admin can reproduce what
    an automation sends; the pre-flight checks warn about mismatches with the endpoint.
    """
    url = request_url(inputs)
    request_id = client_request_id or random_uuid()
    client_id = inputs.client_id.strip()
    kind = inputs.credential
    use_secret = bool(inputs.client_secret) and kind is CredentialKind.SECRET
    secret = inputs.client_secret if use_secret else None

    form: list[tuple[str, str | Secret]] = [("grant_type", inputs.grant.value)]
    form.append(("client_id", client_id))
    if inputs.scope.strip():
        form.append(("scope", " ".join(inputs.scope.split())))
    if inputs.resource.strip():
        form.append(("resource", inputs.resource.strip()))
    if inputs.grant is GrantType.PASSWORD:
        form.append(("username", inputs.username.strip()))
        form.append(("password", inputs.password or Secret("")))

    headers: list[tuple[str, str | Secret]] = [
        ("Accept", "application/json"),
        ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ("User-Agent", USER_AGENT),
        ("client-request-id", request_id),
        ("return-client-request-id", "true"),
    ]
    if secret is not None:
        if inputs.auth_method is AuthMethod.BASIC:
            headers.append(("Authorization", basic_credentials(client_id, secret)))
        else:
            form.append(("client_secret", secret))
    if kind is not CredentialKind.SECRET:
        form.append(("client_assertion_type", JWT_BEARER))
        form.append(("client_assertion", _assertion(inputs, url, client_id, now)))

    cert = inputs.certificate if kind is CredentialKind.CERTIFICATE else None
    return PreparedRequest(
        method="POST",
        url=url,
        headers=tuple(headers),
        form=tuple(form),
        timeout_s=inputs.timeout_s,
        client_request_id=request_id,
        endpoint=None if inputs.token_url.strip() else inputs.endpoint,
        grant=inputs.grant,
        auth_method=inputs.auth_method,
        input_secrets=secrets_in(inputs),
        credential=kind,
        certificate=cert.summary if cert is not None else None,
    )


def _assertion(inputs: TokenRequestInput, url: str, client_id: str, now: float | None) -> Secret:
    """The federated assertion as given, or a certificate assertion signed now ('' when the
    certificate cannot sign: the pre-flight checks say why and block the request)."""
    if inputs.credential is CredentialKind.FEDERATED:
        from core.token.credential.federated import clean_assertion

        return clean_assertion(inputs.client_assertion) if inputs.client_assertion else Secret("")
    if inputs.certificate is None:
        return Secret("")
    from core.token.credential.assertion import sign_assertion
    from core.token.credential.certificate import CertificateError

    try:
        return sign_assertion(
            inputs.certificate,
            client_id=client_id,
            audience=url,
            alg=inputs.assertion_alg,
            send_x5c=inputs.send_x5c,
            now=now,
        )
    except CertificateError:
        return Secret("")


def target_field(endpoint: Endpoint | None) -> str:
    """The form field that names the target API on an endpoint: `scope` (v2) or `resource`."""
    return "resource" if endpoint is Endpoint.V1 else "scope"
