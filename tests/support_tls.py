"""Throwaway TLS material for tests: a CA and a server certificate for 127.0.0.1 and localhost.

Use: ``files = make_ca_and_server_cert(tmp_path)``, serve with
``ErpSim(db, tls=(files.server_cert, files.server_key))`` and trust
``ssl.create_default_context(cafile=files.ca_cert)`` in the client.

``make_ca(folder)`` makes an unrelated CA (a client trusting only it must fail the handshake).
Keys are EC P-256 (fast to make); certificates are valid from an hour ago for two days.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["CaFiles", "TlsFiles", "make_ca", "make_ca_and_server_cert"]


@dataclass(frozen=True)
class CaFiles:
    ca_cert: Path  #: the CA certificate (PEM), what a client trusts
    ca_key: Path  #: its private key (PEM, unencrypted)


@dataclass(frozen=True)
class TlsFiles:
    ca_cert: Path  #: the CA certificate (PEM), what a client trusts
    server_cert: Path  #: the server certificate (PEM) for 127.0.0.1 and localhost
    server_key: Path  #: its private key (PEM, unencrypted)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _validity(builder: x509.CertificateBuilder) -> x509.CertificateBuilder:
    now = datetime.now(UTC)
    return builder.not_valid_before(now - timedelta(hours=1)).not_valid_after(
        now + timedelta(days=2)
    )


def _ca(folder: Path, prefix: str) -> tuple[CaFiles, x509.Certificate, ec.EllipticCurvePrivateKey]:
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"UDI Station test CA {prefix}")
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    certificate = _validity(builder).sign(key, hashes.SHA256())
    files = CaFiles(folder / f"{prefix}-ca.pem", folder / f"{prefix}-ca.key")
    files.ca_cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    _write_key(key, files.ca_key)
    return files, certificate, key


def make_ca(folder: Path) -> Path:
    """A fresh CA in ``folder`` that signs nothing; returns its certificate (PEM) path."""
    files, _certificate, _key = _ca(folder, "other")
    return files.ca_cert


def make_ca_and_server_cert(folder: Path) -> TlsFiles:
    """A fresh CA and a server certificate it signed for ``127.0.0.1``, ``::1`` and localhost."""
    ca_files, ca_certificate, ca_key = _ca(folder, "test")
    key = ec.generate_private_key(ec.SECP256R1())
    names = [
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1")),
        x509.DNSName("localhost"),
    ]
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
    )
    certificate = _validity(builder).sign(ca_key, hashes.SHA256())
    files = TlsFiles(ca_files.ca_cert, folder / "server.pem", folder / "server.key")
    files.server_cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    _write_key(key, files.server_key)
    return files
