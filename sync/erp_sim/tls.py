"""TLS for the reference ERP: a server-side ``ssl.SSLContext`` from a certificate and its key.

The listening socket stays plain; each accepted connection is wrapped on its own request thread
(see ``_Server.finish_request``), so a client that stalls in the handshake holds only its own
thread, and a failed handshake is logged as a warning by the server's error handler.
"""

from __future__ import annotations

import ssl
from pathlib import Path

__all__ = ["server_context"]


def server_context(certificate: Path, private_key: Path) -> ssl.SSLContext:
    """TLS 1.2+ server context for ``certificate`` (PEM chain) and ``private_key`` (PEM)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile=certificate, keyfile=private_key)
    return context
