r"""Attachments: photo bytes kept in the append-only ``attachment`` table, keyed by SHA-256.

An event names an attachment by :class:`Attachment` (media type, SHA-256, size) in its payload,
so the event's hash and any signature of it cover the bytes; the bytes themselves are stored
here, in the same transaction as the event. Only PNG and JPEG are accepted, recognised by
their magic number (never by what the caller says alone), up to :data:`MAX_ATTACHMENT_BYTES`.
Reading an attachment back checks its hash: a changed row raises :class:`AttachmentChangedError`.

>>> media_type_of(b"\x89PNG\r\n\x1a\n..."), media_type_of(b"\xff\xd8\xff\xe0")
('image/png', 'image/jpeg')
>>> media_type_of(b"GIF89a"), media_type_of(b"")
(None, None)
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from station.access import INSPECTION_RECORD, require
from station.context import WriteContext
from station.errors import StationError
from station.events.timefmt import utc_millis
from station.services.errors import Refused

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "MEDIA_TYPES",
    "Attachment",
    "AttachmentChangedError",
    "StoredAttachment",
    "check_attachment",
    "media_type_of",
    "read_attachment",
    "store_attachment",
]

#: The largest attachment kept (bytes).
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
#: Media types an attachment may have, with the magic number its bytes start with.
MEDIA_TYPES: dict[str, bytes] = {
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
}
_SHA256 = re.compile(r"[0-9a-f]{64}")

_SELECT = text("SELECT media_type, size, bytes FROM attachment WHERE sha256 = :sha256")
_INSERT = text(
    "INSERT INTO attachment (sha256, media_type, size, bytes, created_at, created_by)"
    " VALUES (:sha256, :media_type, :size, :bytes, :created_at, :created_by)"
)


@dataclass(frozen=True, slots=True)
class Attachment:
    """What an event says about an attachment: its media type, SHA-256 (hex) and size."""

    media_type: str
    sha256: str
    size: int

    def as_json(self) -> dict[str, str | int]:
        return {"mediaType": self.media_type, "sha256": self.sha256, "size": self.size}


@dataclass(frozen=True, slots=True)
class StoredAttachment:
    """An attachment read back, its bytes checked against its hash."""

    attachment: Attachment
    data: bytes


class AttachmentChangedError(StationError):
    """A stored attachment's bytes no longer match its SHA-256 (or size, or media type)."""


def media_type_of(data: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` by the bytes' magic number; None for anything else."""
    for media_type, magic in MEDIA_TYPES.items():
        if data.startswith(magic):
            return media_type
    return None


def check_attachment(attachment: Attachment) -> None:
    """Refuse (``bad_attachment``) a description no stored attachment could have."""
    if attachment.media_type not in MEDIA_TYPES:
        raise Refused(
            "bad_attachment", f"Attachments are PNG or JPEG, not {attachment.media_type!r}."
        )
    if not isinstance(attachment.sha256, str) or not _SHA256.fullmatch(attachment.sha256):
        raise Refused("bad_attachment", "An attachment's SHA-256 is 64 lowercase hex digits.")
    size = attachment.size
    if isinstance(size, bool) or not isinstance(size, int) or not 0 < size <= MAX_ATTACHMENT_BYTES:
        raise Refused(
            "bad_attachment",
            f"An attachment has 1 to {MAX_ATTACHMENT_BYTES} bytes, not {attachment.size!r}.",
        )


def store_attachment(
    conn: Connection,
    ctx: WriteContext,
    data: bytes,
    *,
    media_type: str,
    sha256: str | None = None,
) -> Attachment:
    """Keep ``data`` (PNG or JPEG, at most 5 MB) and return what an event should say about it.

    Idempotent by hash: bytes already stored are not stored again. Refused
    (``bad_attachment``) for another media type, empty or oversize bytes, bytes that are not
    what ``media_type`` says (by magic number), or a ``sha256`` that is not theirs.
    Permission ``inspection.record`` (inspections are the only records with attachments).
    """
    require(ctx, INSPECTION_RECORD)
    if not isinstance(data, bytes):
        raise Refused("bad_attachment", "An attachment is bytes.")
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(media_type=media_type, sha256=digest, size=len(data))
    check_attachment(attachment)
    if media_type_of(data) != media_type:
        raise Refused("bad_attachment", f"The bytes are not {media_type}.")
    if sha256 is not None and sha256 != digest:
        raise Refused("bad_attachment", "The attachment's SHA-256 does not match its bytes.")
    if conn.execute(_SELECT, {"sha256": digest}).first() is None:
        conn.execute(
            _INSERT,
            {
                "sha256": digest,
                "media_type": media_type,
                "size": len(data),
                "bytes": data,
                "created_at": utc_millis(ctx.now()),
                "created_by": ctx.actor,
            },
        )
    return attachment


def read_attachment(conn: Connection, sha256: str) -> StoredAttachment | None:
    """The attachment stored under ``sha256``, or None; :class:`AttachmentChangedError` when its
    bytes, size or media type no longer match."""
    row = conn.execute(_SELECT, {"sha256": sha256}).first()
    if row is None:
        return None
    media_type, size, data = row
    data = bytes(data)
    if hashlib.sha256(data).hexdigest() != sha256:
        msg = f"attachment {sha256[:16]}…: its bytes do not match its SHA-256"
        raise AttachmentChangedError(msg)
    if size != len(data) or media_type_of(data) != media_type:
        msg = f"attachment {sha256[:16]}…: its size or media type does not match its bytes"
        raise AttachmentChangedError(msg)
    return StoredAttachment(Attachment(str(media_type), sha256, int(size)), data)
