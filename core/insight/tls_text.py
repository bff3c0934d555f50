"""A server certificate that failed verification, in words an admin acts on."""

from __future__ import annotations

from core.token.result import PeerCertificate


def certificate_text(peer: PeerCertificate, host: str) -> str:
    """What is wrong with the certificate, and whose it is (subject and issuer)."""
    problem = {
        "self-signed": "self-signed: no certificate authority vouches for it",
        "unknown issuer": "issued by a certificate authority this computer does not trust",
        "name mismatch": f"for {', '.join(peer.names) or 'another name'}, not for {host}",
        "expired": f"expired (valid until {peer.not_after})",
        "not valid yet": f"not valid yet (valid from {peer.not_before})",
    }.get(peer.problem, peer.problem)
    return f"The server's certificate is {problem}. Subject: {peer.subject}. Issuer: {peer.issuer}."


def certificate_fix(peer: PeerCertificate, host: str) -> tuple[str, ...]:
    """The first steps for this certificate problem (the general ones follow)."""
    if peer.problem == "name mismatch":
        names = ", ".join(peer.names) or "another name"
        return (f"Check the host name in the token URL ({host}): the certificate is for {names}.",)
    if peer.problem == "expired":
        return (
            f"The certificate expired on {peer.not_after}: the server's owner must renew it. "
            "Check this computer's date and time too.",
        )
    if peer.problem == "not valid yet":
        return (f"Check this computer's date and time: the certificate starts on "
                f"{peer.not_before}.",)  # fmt: skip
    return ()  # self-signed or unknown issuer: the general steps say how to trust its CA
