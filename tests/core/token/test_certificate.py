"""Loading certificate credentials in every format, and the summary an admin compares."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from core.redaction import Secret
from core.token.credential.certificate import (
    MAX_FILE_BYTES,
    CertificateError,
    load_certificate,
)
from core.token.credential.resolve import resolve_credential
from core.token.models import CredentialKind, TokenRequestInput
from tests.core import certkit as ck

PASSWORD = "Pfx-Pa55!"


@pytest.fixture(scope="module")
def material() -> tuple:
    key = ck.rsa_key()
    return key, ck.cert(key, "daemon.tests.example", serial=0x0A1B2C)


def test_pem_with_certificate_first_and_key_first(tmp_path: Path, material: tuple) -> None:
    """A PEM holding the key and the certificate loads in either order, key matched."""
    key, leaf = material
    for order, data in (("cert-first", ck.cert_pem(leaf) + ck.key_pem(key)),
                        ("key-first", ck.key_pem(key) + ck.cert_pem(leaf))):  # fmt: skip
        loaded = load_certificate(ck.write(tmp_path, f"{order}.pem", data))
        assert loaded.summary.has_private_key and loaded.summary.key_matches is True
        assert loaded.summary.file_format == "PEM"
        assert loaded.summary.sha1 == leaf.fingerprint(hashes.SHA1()).hex().upper()


def test_pem_with_chain_in_any_order_puts_the_leaf_first(tmp_path: Path) -> None:
    """Key + leaf + intermediate + root, shuffled: the leaf is the key's, the chain goes up."""
    key, leaf, mid, root = ck.chain3()
    data = ck.cert_pem(root) + ck.key_pem(key) + ck.cert_pem(mid, leaf)
    loaded = load_certificate(ck.write(tmp_path, "chain.pem", data))
    assert (
        loaded.summary.subject.startswith("CN=leaf.tests.example")
        or "leaf" in loaded.summary.subject
    )
    assert loaded.summary.key_matches is True
    assert [c.subject for c in loaded.chain] == [mid.subject, root.subject]
    assert len(loaded.x5c()) == 3


def test_separate_key_with_pem_or_der_certificate(tmp_path: Path, material: tuple) -> None:
    """A key file plus a PEM or a DER (.cer) certificate."""
    key, leaf = material
    key_file = ck.write(tmp_path, "app.key", ck.key_pem(key))
    for name, data in (("app.crt", ck.cert_pem(leaf)), ("app.cer", leaf.public_bytes(ck.DER))):
        loaded = load_certificate(ck.write(tmp_path, name, data), key_file)
        assert loaded.summary.key_matches is True
        assert loaded.summary.file_format == ("DER" if name.endswith(".cer") else "PEM")
        assert "app.key" in loaded.summary.source


def test_pkcs12_with_password_and_its_errors(tmp_path: Path, material: tuple) -> None:
    """A PFX opens with its password; a wrong or missing password says so plainly."""
    key, leaf = material
    path = ck.write(tmp_path, "app.pfx", ck.pfx(key, leaf, PASSWORD.encode()))
    loaded = load_certificate(path, password=Secret(PASSWORD))
    assert loaded.summary.file_format == "PKCS#12" and loaded.summary.key_matches is True
    with pytest.raises(CertificateError) as wrong:
        load_certificate(path, password=Secret("nope"))
    assert wrong.value.kind == "wrong_password"
    assert wrong.value.message == "Wrong password for this PFX (app.pfx)."
    with pytest.raises(CertificateError) as missing:
        load_certificate(path)
    assert missing.value.kind == "password_needed"
    assert "nope" not in str(wrong.value) and PASSWORD not in str(missing.value)


def test_pkcs12_without_password(tmp_path: Path, material: tuple) -> None:
    """A PFX exported without a password opens with none (and with one typed by mistake)."""
    key, leaf = material
    path = ck.write(tmp_path, "open.p12", ck.pfx(key, leaf, None))
    assert load_certificate(path).summary.has_private_key
    assert load_certificate(path, password=Secret("typed anyway")).summary.has_private_key


def test_encrypted_pem_keys(tmp_path: Path, material: tuple) -> None:
    """PKCS#8 and traditional encrypted keys open with the password; errors are plain."""
    key, leaf = material
    for traditional in (False, True):
        data = ck.cert_pem(leaf) + ck.key_pem(key, PASSWORD.encode(), traditional=traditional)
        path = ck.write(tmp_path, f"enc-{traditional}.pem", data)
        assert load_certificate(path, password=Secret(PASSWORD)).summary.key_matches is True
        with pytest.raises(CertificateError, match="Wrong password for the private key"):
            load_certificate(path, password=Secret("bad"))
        with pytest.raises(CertificateError, match="is encrypted: give its password") as exc:
            load_certificate(path)
        assert exc.value.kind == "password_needed"


def test_certificate_without_key_and_key_without_certificate(
    tmp_path: Path, material: tuple
) -> None:
    """A .cer alone loads (to compare thumbprints) but says it cannot sign; a key alone fails."""
    key, leaf = material
    only_cert = load_certificate(ck.write(tmp_path, "only.cer", leaf.public_bytes(ck.DER)))
    assert only_cert.summary.has_private_key is False and only_cert.summary.key_matches is None
    titles = [p[1] for p in only_cert.summary.problems()]
    assert "No private key" in titles
    with pytest.raises(CertificateError, match="holds a private key but no certificate"):
        load_certificate(ck.write(tmp_path, "only.key", ck.key_pem(key)))


def test_key_of_another_certificate(tmp_path: Path, material: tuple) -> None:
    """A key that does not belong to the certificate is reported, never silently used."""
    _, leaf = material
    other = ck.rsa_key()
    loaded = load_certificate(
        ck.write(tmp_path, "mixed.pem", ck.cert_pem(leaf) + ck.key_pem(other))
    )
    assert loaded.summary.key_matches is False
    assert ("error", "Key does not match") in [(s, t) for s, t, _ in loaded.summary.problems()]


def _damaged(key: rsa.RSAPrivateKey) -> rsa.RSAPrivateKey:
    """The same public key with wrong private exponents (CRT ones too: OpenSSL recomputes a
    CRT result it finds wrong with d), as a bit flip in a key file would leave it."""
    n = key.private_numbers()
    return rsa.RSAPrivateNumbers(
        p=n.p, q=n.q, d=n.d + 2, dmp1=n.dmp1 + 2, dmq1=n.dmq1 + 2, iqmp=n.iqmp,
        public_numbers=n.public_numbers,
    ).private_key(unsafe_skip_rsa_key_validation=True)  # fmt: skip


@pytest.mark.parametrize("layout", ["pem", "separate-der"])
def test_damaged_rsa_key_is_refused_with_a_plain_message(
    tmp_path: Path, material: tuple, layout: str
) -> None:
    """RSA keys are read without OpenSSL's slow validation: one signature checked against
    the certificate catches a damaged key before Entra would (AADSTS700027)."""
    key, leaf = material
    bad = _damaged(key)
    if layout == "pem":
        paths = [ck.write(tmp_path, "bad.pem", ck.cert_pem(leaf) + ck.key_pem(bad))]
    else:
        der = bad.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())  # fmt: skip
        paths = [ck.write(tmp_path, "leaf.pem", ck.cert_pem(leaf)),
                 ck.write(tmp_path, "bad.key", der)]  # fmt: skip
    with pytest.raises(CertificateError, match="is damaged") as caught:
        load_certificate(*paths)
    assert caught.value.kind == "damaged_key"
    assert paths[-1].name in caught.value.message
    key_path = str(paths[1]) if len(paths) > 1 else ""
    inputs = TokenRequestInput(
        tenant="contoso.example", client_id="app", credential=CredentialKind.CERTIFICATE,
        certificate_path=str(paths[0]), certificate_key_path=key_path,
    )  # fmt: skip
    _, findings = resolve_credential(inputs)
    assert [(f.code, f.title) for f in findings] == [
        ("certificate-damaged-key", "Certificate cannot be used")
    ]
    assert "Export the certificate with its private key again" in findings[0].fix
    # the sound key in the same layouts still loads
    good = load_certificate(ck.write(tmp_path, "good.pem", ck.cert_pem(leaf) + ck.key_pem(key)))
    assert good.summary.key_matches is True


def test_unreadable_files(tmp_path: Path) -> None:
    """Missing, folder, junk and huge files each get one plain message."""
    cases = {
        tmp_path / "absent.pem": "does not exist",
        tmp_path: "is a folder",
        ck.write(tmp_path, "junk.bin", b"\x00junk" * 50): "neither a PEM file",
        ck.write(tmp_path, "empty.pem", b"-----BEGIN NOTHING-----\n"): "neither a certificate",
        ck.write(tmp_path, "huge.pem", b"x" * (MAX_FILE_BYTES + 1)): "larger than",
    }
    for path, words in cases.items():
        with pytest.raises(CertificateError, match=words):
            load_certificate(path)


def test_summary_fields_and_validity(tmp_path: Path, material: tuple) -> None:
    """Serial, times, SHA-256 and the validity states with their severities."""
    key, leaf = material
    loaded = load_certificate(ck.write(tmp_path, "a.pem", ck.cert_pem(leaf) + ck.key_pem(key)))
    s = loaded.summary
    assert s.serial == "0A1B2C"
    assert s.sha256 == leaf.fingerprint(hashes.SHA256()).hex().upper() and len(s.sha256) == 64
    assert s.key_type == "RSA 2048-bit" and s.is_rsa
    assert s.validity()[0] == "valid" and s.problems() == ()
    assert s.validity(s.not_after - 5 * 86400)[0] == "expiring"
    assert s.validity(s.not_after + 1)[0] == "expired"
    assert s.validity(s.not_before - 10)[0] == "not_yet_valid"
    severities = {t: sev for sev, t, _ in s.problems(s.not_before - 10)}
    assert severities == {"Certificate not valid yet": "error"}
    assert {t: sev for sev, t, _ in s.problems(s.not_after + 1)} == {
        "Certificate expired": "warning"
    }
    assert {t: sev for sev, t, _ in s.problems(time.time() + 400 * 86400)} == {
        "Certificate expired": "warning"
    }


def test_ec_key_is_not_usable_for_entra(tmp_path: Path) -> None:
    """An EC certificate loads and is summarised, but is flagged: Entra takes RSA only."""
    key = ck.ec_key()
    loaded = load_certificate(
        ck.write(tmp_path, "ec.pem", ck.cert_pem(ck.cert(key)) + ck.key_pem(key))
    )
    assert not loaded.summary.is_rsa and loaded.summary.key_type == "EC secp256r1"
    assert "Not an RSA certificate" in [t for _, t, _ in loaded.summary.problems()]


def test_private_key_never_in_repr_or_pickle(tmp_path: Path, material: tuple) -> None:
    """The loaded credential's repr shows no key material and it refuses to be pickled."""
    import pickle

    key, leaf = material
    loaded = load_certificate(ck.write(tmp_path, "a.pem", ck.cert_pem(leaf) + ck.key_pem(key)))
    assert "PRIVATE" not in repr(loaded) and "RSAPrivateKey" not in repr(loaded)
    with pytest.raises(TypeError):
        pickle.dumps(loaded)


# -- found by mutation testing (mutmut): each pins one behaviour a one-line bug would break ---


@pytest.mark.parametrize("encoding", ["pem", "der"])
def test_encrypted_separate_key_file_opens_with_the_password(
    tmp_path: Path, material: tuple, encoding: str
) -> None:
    """The password opens a key given as its own file (PEM or DER PKCS#8), not only a key in
    the certificate's file; the source names both files."""
    key, leaf = material
    fmt = serialization.Encoding.PEM if encoding == "pem" else serialization.Encoding.DER
    data = key.private_bytes(fmt, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(PASSWORD.encode()))  # fmt: skip
    cert_path = ck.write(tmp_path, "app.crt", ck.cert_pem(leaf))
    loaded = load_certificate(cert_path, ck.write(tmp_path, "app.key", data), Secret(PASSWORD))
    assert loaded.summary.key_matches is True
    assert loaded.summary.source == "app.crt + app.key"


def test_pem_key_without_password_loads_when_one_is_typed(tmp_path: Path, material: tuple) -> None:
    key, leaf = material
    path = ck.write(tmp_path, "plain.pem", ck.cert_pem(leaf) + ck.key_pem(key))
    assert load_certificate(path, password=Secret("typed anyway")).summary.key_matches is True


def test_pfx_with_only_certificates_or_only_a_key(tmp_path: Path, material: tuple) -> None:
    """A PFX without a key loads (it cannot sign); one without a certificate says so."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    key, leaf = material
    none = serialization.NoEncryption()
    certs_only = pkcs12.serialize_key_and_certificates(b"t", None, leaf, None, none)
    loaded = load_certificate(ck.write(tmp_path, "certs.pfx", certs_only))
    assert loaded.summary.has_private_key is False and loaded.summary.key_matches is None
    key_only = pkcs12.serialize_key_and_certificates(b"t", key, None, None, none)
    with pytest.raises(CertificateError, match="holds a private key but no certificate") as exc:
        load_certificate(ck.write(tmp_path, "key.pfx", key_only))
    assert exc.value.kind == "no_certificate"


def test_the_key_picks_its_certificate_among_unrelated_ones(tmp_path: Path) -> None:
    """Two self-signed certificates and the key of the second: the second is the leaf."""
    key = ck.ec_key()
    other = ck.cert(ck.ec_key(), "other.tests.example")
    mine = ck.cert(key, "mine.tests.example")
    data = ck.cert_pem(other, mine) + ck.key_pem(key)
    loaded = load_certificate(ck.write(tmp_path, "two.pem", data))
    assert "mine.tests.example" in loaded.summary.subject and loaded.summary.key_matches is True


def test_a_chain_without_a_key_takes_the_end_entity_as_leaf(tmp_path: Path) -> None:
    """Root, intermediate and leaf in any order and no key: the leaf is the one that issued
    nothing; the summary names its issuer and the chain upwards."""
    _, leaf, mid, root = ck.chain3()
    for order in ((root, mid, leaf), (mid, leaf, root)):
        s = load_certificate(ck.write(tmp_path, "c.pem", ck.cert_pem(*order))).summary
        assert s.subject == leaf.subject.rfc4514_string()
        assert s.issuer == mid.subject.rfc4514_string()
        assert s.chain == (mid.subject.rfc4514_string(), root.subject.rfc4514_string())
        assert s.has_private_key is False


def test_ed25519_certificate_is_named_and_not_rsa(tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate()
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(ck.name("ed")).issuer_name(ck.name("ed"))
        .public_key(key.public_key()).serial_number(7)
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=9))
        .sign(key, None)
    )  # fmt: skip
    loaded = load_certificate(ck.write(tmp_path, "ed.pem", ck.cert_pem(cert) + ck.key_pem(key)))
    assert loaded.summary.key_type == "Ed25519" and loaded.summary.is_rsa is False
    assert "Not an RSA certificate" in [t for _, t, _ in loaded.summary.problems()]


def test_file_errors_have_their_kind_and_name_the_file(tmp_path: Path) -> None:
    """The kind (what the window and the findings go by) and a message that says which file."""
    cases = [
        (("",), "unreadable", "No certificate file was given."),
        ((tmp_path / "absent.pem",), "unreadable", "The certificate file "),
        ((ck.write(tmp_path, "c.pem", b"-----BEGIN NOTHING-----\n"), tmp_path / "no.key"),
         "unreadable", "The private key file "),
        ((tmp_path,), "unreadable", "is a folder, not a certificate file."),
        ((ck.write(tmp_path, "junk.bin", b"\x00junk" * 50),), "format", "junk.bin is neither"),
        ((ck.write(tmp_path, "huge.pem", b"x" * (MAX_FILE_BYTES + 1)),), "too_large",
         "huge.pem is larger than 1000 KB: not a certificate file."),
        ((ck.write(tmp_path, "bad.pem", b"-----BEGIN CERTIFICATE-----\nAAAA\n"
                                        b"-----END CERTIFICATE-----\n"),), "format",
         "A certificate in bad.pem is damaged (its PEM block cannot be read)."),
        ((ck.write(tmp_path, "badkey.pem", b"-----BEGIN PRIVATE KEY-----\nAAAA\n"
                                           b"-----END PRIVATE KEY-----\n"),), "format",
         "The private key in badkey.pem cannot be read (damaged, or a format this tool "
         "does not read)."),
    ]  # fmt: skip
    for args, kind, words in cases:
        with pytest.raises(CertificateError) as exc:
            load_certificate(*args)
        assert (exc.value.kind, words in exc.value.message) == (kind, True), args
    exact = ck.write(tmp_path, "exact.pem", b"x" * MAX_FILE_BYTES)
    with pytest.raises(CertificateError) as not_large:
        load_certificate(exact)
    assert not_large.value.kind == "format"  # read whole, then not a known format


def test_password_errors_have_their_kind_and_name_the_file(tmp_path: Path, material: tuple) -> None:
    from cryptography.hazmat.primitives.serialization import pkcs12

    key, leaf = material
    enc = ck.write(tmp_path, "enc.pem", ck.cert_pem(leaf) + ck.key_pem(key, PASSWORD.encode()))
    with pytest.raises(CertificateError) as wrong:
        load_certificate(enc, password=Secret("bad"))
    assert wrong.value.kind == "wrong_password"
    assert wrong.value.message == "Wrong password for the private key in enc.pem."
    with pytest.raises(CertificateError) as needed:
        load_certificate(enc)
    assert needed.value.message == "The private key in enc.pem is encrypted: give its password."
    locked = serialization.BestAvailableEncryption(PASSWORD.encode())
    data = pkcs12.serialize_key_and_certificates(b"t", key, leaf, None, locked)
    pfx = ck.write(tmp_path, "p.pfx", data)
    with pytest.raises(CertificateError) as pfx_needed:
        load_certificate(pfx)
    assert pfx_needed.value.message == "p.pfx is a PFX protected by a password: give the password."


def test_more_than_twenty_certificates_are_refused(tmp_path: Path) -> None:
    key = ck.ec_key()
    certs = [ck.cert(key, f"c{i}.tests.example") for i in range(21)]
    assert load_certificate(ck.write(tmp_path, "20.pem", ck.cert_pem(*certs[:20]))).chain
    with pytest.raises(CertificateError) as exc:
        load_certificate(ck.write(tmp_path, "21.pem", ck.cert_pem(*certs)))
    assert (exc.value.kind, exc.value.message) == ("format", "21.pem holds more than 20 "
                                                   "certificates.")  # fmt: skip


def test_other_os_errors_and_huge_files_are_plain_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OS error says why (its strerror); a huge file is refused after MAX_FILE_BYTES + 1
    bytes, never read whole."""
    too_long = tmp_path / ("x" * 300 + ".pem")
    with pytest.raises(CertificateError) as exc:
        load_certificate(too_long)
    with pytest.raises(OSError) as why:
        too_long.open("rb")
    assert why.value.strerror  # "File name too long" on Linux
    assert exc.value.kind == "unreadable"
    assert (
        exc.value.message
        == f"The certificate file {too_long} cannot be read ({why.value.strerror})."
    )

    class Endless:
        def __enter__(self) -> Endless:
            return self

        def __exit__(self, *_: object) -> None:
            pass

        def read(self, size: int | None = -1) -> bytes:
            assert size is not None and 0 <= size <= MAX_FILE_BYTES + 1, "unbounded read"
            return b"x" * size

    monkeypatch.setattr(Path, "open", lambda *_a, **_k: Endless())
    with pytest.raises(CertificateError) as huge:
        load_certificate("/dev/endless.pem")
    assert huge.value.kind == "too_large"


def test_two_certificates_that_issue_each_other_still_give_a_leaf(tmp_path: Path) -> None:
    """No end entity (A issued by B, B by A): the first certificate is taken, no crash."""
    key_a, key_b = ck.ec_key(), ck.ec_key()
    a = ck.cert(key_a, "a.tests.example", issuer="b.tests.example", issuer_key=key_b)
    b = ck.cert(key_b, "b.tests.example", issuer="a.tests.example", issuer_key=key_a)
    s = load_certificate(ck.write(tmp_path, "loop.pem", ck.cert_pem(a, b))).summary
    assert "a.tests.example" in s.subject and s.chain == (b.subject.rfc4514_string(),)
