"""The station's tables (SQLModel). Alembic migrations create them; a test checks they agree.

Three kinds of table:

* **Ledger** (`event`, `event_ident`, `genealogy`, `audit`, `checkpoint`): append-only. Triggers
  refuse UPDATE and DELETE. `event` and `audit` are each a hash chain with a gapless ``seq``.
* **Master data** (products, suppliers, orders …): cached from the ERP or edited by an admin;
  every change writes an `audit` row in the same transaction.
* **Projections** (`item_state`): caches derived from events, rebuilt and compared in tests.

Times are ISO 8601 text: UTC with milliseconds (``2026-11-24T08:15:30.123Z``) plus, for events,
the station's offset (``+08:00``) as EPCIS requires. Hashes are lowercase hex SHA-256.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

# ----------------------------------------------------------------------------- ledger


class Event(SQLModel, table=True):
    """One EPCIS 2.0 event as captured; ``payload`` is its canonical JSON (the source of truth).

    The other columns are extracted from the payload for queries and are covered by the hash.
    """

    __tablename__ = "event"

    seq: int = Field(primary_key=True)  # gapless per station, 1, 2, 3 …
    event_id: str = Field(unique=True)  # urn:uuid:<UUIDv7>, fixed at capture
    event_type: str  # ObjectEvent | AggregationEvent | TransformationEvent | TransactionEvent …
    action: str | None = None  # ADD | OBSERVE | DELETE (None for TransformationEvent)
    biz_step: str | None = Field(default=None, index=True)
    disposition: str | None = None
    event_time: str = Field(index=True)  # UTC, milliseconds
    event_tz_offset: str  # "+08:00"
    record_time: str  # when this station committed it (UTC)
    read_point: str | None = None
    biz_location: str | None = None
    actor: str | None = None  # user id of who did it
    corrects_event_id: str | None = Field(default=None, index=True)  # declarations, corrections
    payload: str  # canonical JSON of the EPCIS event (RFC 8785)
    raw_scan: bytes | None = None  # the scan behind the event, byte for byte
    app_version: str
    schema_version: str
    prev_hash: str
    hash: str = Field(unique=True)


class EventIdent(SQLModel, table=True):
    """Every identifier an event names, one row each, for trace queries (immutable)."""

    __tablename__ = "event_ident"
    __table_args__ = (
        Index("ix_event_ident_uri_role", "uri", "role"),
        Index("ix_event_ident_gtin_lot", "gtin", "lot"),
        Index("ix_event_ident_serial", "serial"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_seq: int = Field(foreign_key="event.seq", index=True)
    role: str  # epc | quantity | parent | child | input | output | source | destination
    uri: str
    kind: str  # sgtin | lgtin | gtin | sscc | party | location | other
    gtin: str | None = None
    lot: str | None = None
    serial: str | None = None
    sscc: str | None = None
    quantity: float | None = None
    uom: str | None = None


class Genealogy(SQLModel, table=True):
    """Parent → child links derived from events: what contains or became what (immutable).

    relation: ``contains`` (lot → unit at commissioning, container → content at packing),
    ``unpacked`` (container ↛ content), ``consumed_into`` (input lot → output lot).
    """

    __tablename__ = "genealogy"
    __table_args__ = (
        Index("ix_genealogy_parent", "parent_uri"),
        Index("ix_genealogy_child", "child_uri"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_seq: int = Field(foreign_key="event.seq", index=True)
    parent_uri: str
    child_uri: str
    relation: str


class Audit(SQLModel, table=True):
    """Who changed what, when and why (21 CFR 11.10(e)); written in the change's transaction."""

    __tablename__ = "audit"
    # Alarms, their acknowledgements and pending ERP alerts are found by action (migration 0015).
    __table_args__ = (Index("ix_audit_action", "action", "seq"),)

    seq: int = Field(primary_key=True)
    at: str  # UTC, milliseconds
    at_offset: str  # the station's offset at that moment
    actor: str | None = None  # user id; None only for the system itself
    actor_name: str | None = None  # printed name at that time, never looked up later
    action: str  # e.g. masterdata.update, login.failed, print, export, sync.result
    entity: str | None = None
    entity_id: str | None = None
    old_value: str | None = None  # canonical JSON
    new_value: str | None = None  # canonical JSON
    reason: str | None = None
    station: str
    app_version: str
    prev_hash: str
    hash: str = Field(unique=True)


class Checkpoint(SQLModel, table=True):
    """A signed statement of both chain heads, exported for the ERP to hold (immutable)."""

    __tablename__ = "checkpoint"

    id: int | None = Field(default=None, primary_key=True)
    created_at: str
    station: str
    event_seq: int
    event_head: str
    audit_seq: int
    audit_head: str
    key_id: str  # SHA-256 of the raw public key, hex
    signature: str  # Ed25519 over the canonical JSON of the fields above, hex


# ----------------------------------------------------------------------------- master data


class Product(SQLModel, table=True):
    __tablename__ = "product"
    __table_args__ = (CheckConstraint("trace_level IN ('lot', 'serial')"),)

    id: int | None = Field(default=None, primary_key=True)
    di: str = Field(unique=True)  # GTIN-14, HIBC LIC+PCN+UoM, PPN … (the UDI-DI)
    di_scheme: str  # gs1 | hibc | isbt128 | ppn | ma
    name_zh: str
    name_en: str
    model: str | None = None
    registration_no: str | None = None  # 注册证号
    device_class: str | None = None  # I / II / III
    shelf_life_days: int | None = None
    trace_level: str = "lot"
    is_material: bool = False  # a supplier material rather than a finished device
    active: bool = True


class Supplier(SQLModel, table=True):
    __tablename__ = "supplier"
    __table_args__ = (
        CheckConstraint("qualification IN ('qualified', 'conditional', 'disqualified')"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    gln: str | None = None
    qualification: str = "qualified"
    qualified_until: str | None = None  # ISO date
    active: bool = True


class Party(SQLModel, table=True):
    """Customers and distributors: where goods go."""

    __tablename__ = "party"
    __table_args__ = (CheckConstraint("kind IN ('customer', 'distributor')"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    gln: str | None = None
    kind: str = "customer"
    active: bool = True


class Location(SQLModel, table=True):
    __tablename__ = "location"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    gln: str | None = None  # SGLN where the site has one
    kind: str = "warehouse"  # dock | line | qc | warehouse | quarantine | site
    active: bool = True


class StationInfo(SQLModel, table=True):
    __tablename__ = "station_info"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    location_id: int | None = Field(default=None, foreign_key="location.id")


class PurchaseOrder(SQLModel, table=True):
    __tablename__ = "purchase_order"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True)
    supplier_id: int = Field(foreign_key="supplier.id")
    status: str = "open"  # open | closed | cancelled
    ordered_at: str | None = None


class PurchaseOrderLine(SQLModel, table=True):
    __tablename__ = "po_line"
    __table_args__ = (UniqueConstraint("po_id", "line_no"),)

    id: int | None = Field(default=None, primary_key=True)
    po_id: int = Field(foreign_key="purchase_order.id")
    line_no: int
    product_id: int = Field(foreign_key="product.id")
    quantity: float
    uom: str = "EA"


class SalesOrder(SQLModel, table=True):
    __tablename__ = "sales_order"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True)
    party_id: int = Field(foreign_key="party.id")
    status: str = "open"
    ordered_at: str | None = None


class SalesOrderLine(SQLModel, table=True):
    __tablename__ = "so_line"
    __table_args__ = (UniqueConstraint("so_id", "line_no"),)

    id: int | None = Field(default=None, primary_key=True)
    so_id: int = Field(foreign_key="sales_order.id")
    line_no: int
    product_id: int = Field(foreign_key="product.id")
    quantity: float
    uom: str = "EA"


class InspectionPlan(SQLModel, table=True):
    __tablename__ = "inspection_plan"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str
    version: int = 1
    name: str
    product_id: int | None = Field(default=None, foreign_key="product.id")
    active: bool = True


class InspectionCheckpoint(SQLModel, table=True):
    __tablename__ = "inspection_checkpoint"
    __table_args__ = (
        UniqueConstraint("plan_id", "position"),
        CheckConstraint("kind IN ('numeric', 'pass_fail', 'text')"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="inspection_plan.id")
    position: int
    name: str
    kind: str = "pass_fail"
    lower_limit: float | None = None
    upper_limit: float | None = None
    unit: str | None = None  # UN/CEFACT Rec. 20 code, e.g. MMT, CEL


# ----------------------------------------------------------------------------- projections


class ItemState(SQLModel, table=True):
    """Current state of one identifier, derived from events; rebuildable at any time."""

    __tablename__ = "item_state"
    # Clustered by URI (WITHOUT ROWID): a recall reads 100,000 rows by URI, one probe each.
    __table_args__ = (
        Index("ix_item_state_gtin_lot", "gtin", "lot"),
        {"sqlite_with_rowid": False},
    )

    uri: str = Field(primary_key=True)
    kind: str
    gtin: str | None = Field(default=None, index=True)
    lot: str | None = None
    serial: str | None = None
    disposition: str | None = None
    biz_location: str | None = None
    parent_uri: str | None = Field(default=None, index=True)
    holder: str | None = None  # party the item was last shipped to
    on_hold: bool = False
    last_event_seq: int
    # The trace's status fold, kept per event (station.services.item_status), in the same row
    # so a recall reads one row per item.
    status: str = Field(default="in_stock", sa_column_kwargs={"server_default": "in_stock"})
    status_holder: str | None = None  # while shipped: the party it was shipped to
    status_location: str | None = None
    holds: str = Field(default="[]", sa_column_kwargs={"server_default": "[]"})  # JSON list
    shipped_to: str = Field(default="[]", sa_column_kwargs={"server_default": "[]"})  # JSON
    status_event_seq: int | None = None  # the last event the status fold counted
    commissioned_in: str | None = None  # the lot of its latest commissioning link


class LotStateRow(SQLModel, table=True):
    """Current P11-F1 state of one lot, derived from events like ``item_state``.

    Folding a lot's history at every scan costs time in proportion to the lot's size; this
    row keeps the fold's result, updated in each event's transaction and rebuilt from events.
    """

    __tablename__ = "lot_state"

    lot_uri: str = Field(primary_key=True)
    state: str
    last_event_seq: int


class ProjectionMark(SQLModel, table=True):
    """The seq of the last event the projections applied (one row, ``id`` 1).

    Equal to the ledger's last seq when every event went through the projections; readers
    that depend on them check it (events written by a path that skipped them are not lost
    from an answer, it is computed from the events instead).
    """

    __tablename__ = "projection_mark"

    id: int = Field(primary_key=True)
    event_seq: int


#: Tables that are append-only: triggers refuse UPDATE and DELETE (compliance P11-E2).
APPEND_ONLY = ("event", "event_ident", "genealogy", "audit", "checkpoint")

metadata = SQLModel.metadata


# ----------------------------------------------------------------------------- labels


class LabelTemplateRow(SQLModel, table=True):
    """A template version. ``body`` and ``sha256`` never change (a trigger refuses it); status
    only moves forward: draft → approved → retired (or draft → retired). Production printing
    takes approved versions only."""

    __tablename__ = "label_template"
    __table_args__ = (
        UniqueConstraint("name", "version"),
        CheckConstraint("status IN ('draft', 'approved', 'retired')"),
        # At most one version of a name is in force.
        Index(
            "ux_label_template_one_approved",
            "name",
            unique=True,
            sqlite_where=text("status = 'approved'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str
    version: int
    status: str = "draft"
    body: str  # canonical JSON of the template document
    sha256: str  # of body
    created_at: str
    created_by: str | None = None
    approved_at: str | None = None
    approved_by: str | None = None
    retired_at: str | None = None


class SerialCounter(SQLModel, table=True):
    """The next serial number per GTIN: a trigger lets it only grow, so no number returns."""

    __tablename__ = "serial_counter"

    gtin: str = Field(primary_key=True)
    next_number: int


class SerialAllocation(SQLModel, table=True):
    """Every serial ever handed out, committed before its label is printed (append-only)."""

    __tablename__ = "serial_allocation"

    gtin: str = Field(primary_key=True)
    serial: str = Field(primary_key=True)
    lot: str
    number: int
    job_id: str = Field(index=True)
    allocated_at: str


class SsccCounter(SQLModel, table=True):
    """The next SSCC serial reference per prefix and station block (``labels.sscc_block``):
    a trigger lets it only grow and keeps its key, so no SSCC returns."""

    __tablename__ = "sscc_counter"
    __table_args__ = (
        CheckConstraint(
            "block_first <= block_last AND next_reference >= block_first",
            name="ck_sscc_counter_block",
        ),
    )

    prefix: str = Field(primary_key=True)  # extension digit + GS1 company prefix
    block_first: int = Field(primary_key=True)
    block_last: int = Field(primary_key=True)
    next_reference: int


class SsccAllocation(SQLModel, table=True):
    """Every SSCC this station made, committed before its label is printed (append-only)."""

    __tablename__ = "sscc_allocation"

    sscc: str = Field(primary_key=True)  # 18 digits with the check digit
    prefix: str
    reference: int
    station: str
    allocated_at: str  # UTC, milliseconds
    actor: str | None = None


class PrintJob(SQLModel, table=True):
    """A print job as planned: which template version, which data, for which printer
    (append-only); what happened to it is in ``print_outcome``."""

    __tablename__ = "print_job"
    __table_args__ = (CheckConstraint("kind IN ('print', 'reprint', 'test')"),)

    job_id: str = Field(primary_key=True)
    kind: str
    template: str
    template_version: int
    template_sha256: str
    printer: str
    format: str  # zpl | pdf | png
    labels: int
    data: str  # canonical JSON: the list of label data
    reprint_of: str | None = Field(default=None, index=True)
    reason: str | None = None
    created_at: str
    actor: str | None = None


class PrintOutcome(SQLModel, table=True):
    """``sent`` only when the transport accepted every byte; else ``failed`` (append-only)."""

    __tablename__ = "print_outcome"
    __table_args__ = (CheckConstraint("status IN ('sent', 'failed')"),)

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(index=True)
    status: str
    payload_sha256: str | None = None  # SHA-256 of the bytes sent
    detail: str | None = None
    at: str


class LabelCheck(SQLModel, table=True):
    """A printed label read back and compared with what it should carry (append-only)."""

    __tablename__ = "label_check"

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(index=True)
    label_index: int
    expected: str  # AIM id + content, GS as \x1d
    decoded: str | None = None  # what was read, None when nothing was
    passed: bool
    payload_sha256: str
    at: str
    actor: str | None = None


# ----------------------------------------------------------------------------- sync with the ERP


class SyncAck(SQLModel, table=True):
    """The centre confirmed it holds this event (accepted now, or already held): final.

    Delivery state lives here, never in the immutable ``event`` row. An event is queued while
    it has no ack and no open rejection; nothing else counts (state derived from rows only).
    """

    __tablename__ = "sync_ack"
    __table_args__ = (CheckConstraint("outcome IN ('accepted', 'duplicate')"),)

    seq: int = Field(primary_key=True, foreign_key="event.seq")
    event_id: str = Field(unique=True)
    outcome: str
    acked_at: str
    endpoint: str


class SyncRejection(SQLModel, table=True):
    """The centre refused this event as invalid: shown in the sync error list until retried.

    Open while ``retried_at`` is NULL; an open rejection holds back later events of the same
    lot or serial. Retrying closes it (who and when, once) and queues the event again.
    """

    __tablename__ = "sync_rejection"
    __table_args__ = (
        Index(
            "ux_sync_rejection_open", "seq", unique=True, sqlite_where=text("retried_at IS NULL")
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(foreign_key="event.seq", index=True)
    event_id: str
    reason: str
    rejected_at: str
    endpoint: str
    retried_at: str | None = None
    retried_by: str | None = None


class SyncState(SQLModel, table=True):
    """Small facts about the link to the centre (last success, clock offset, cursors)."""

    __tablename__ = "sync_state"

    key: str = Field(primary_key=True)
    value: str
    updated_at: str


class SecurityAlertAck(SQLModel, table=True):
    """The centre holds this security alert (accepted now, or already held): final, append-only.

    The alerts are the ``security.lockout`` and ``security.rate_limit`` audit entries; one is
    pending while it has no row here (``station/sync/alerts.py``, migration 0015).
    """

    __tablename__ = "security_alert_ack"
    __table_args__ = (
        CheckConstraint(
            "outcome IN ('accepted', 'duplicate')", name="ck_security_alert_ack_outcome"
        ),
    )

    audit_seq: int = Field(primary_key=True, foreign_key="audit.seq")
    alert_id: str = Field(unique=True)  # <station>:audit:<seq>, as sent
    outcome: str  # accepted | duplicate
    acked_at: str  # UTC, milliseconds
    endpoint: str


class StationUser(SQLModel, table=True):
    """A person who may sign in, with roles (master data from the ERP; revoked = inactive)."""

    __tablename__ = "station_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)
    name: str
    roles: str  # space-separated: operator supervisor qa admin
    badge: str | None = None
    active: bool = True


# ------------------------------------------------------------------------- electronic signatures
# (migration 0011; station/signatures/ writes and verifies them)


class SigningKey(SQLModel, table=True):
    """A user's Ed25519 signing key; the private half sealed by the user's secret (append-only).

    Every secret change enrols a new row; the newest row per user is the current key, older rows
    are retired but stay to verify the signatures they made.
    """

    __tablename__ = "signing_key"

    id: int | None = Field(default=None, primary_key=True)
    key_id: str = Field(unique=True)  # SHA-256 of the raw public key, hex
    username: str = Field(index=True)
    public_key: str  # raw Ed25519 public key, hex
    sealed_private_key: str  # AES-GCM nonce + ciphertext of the raw private key, hex
    kdf: str  # canonical JSON: algorithm, parameters and salt that turn the secret into the key
    created_at: str  # UTC, milliseconds


class Signature(SQLModel, table=True):
    """One electronic signature: the signed manifestation and its Ed25519 signature (chained).

    ``payload`` is the canonical JSON that was signed (printed name, meaning, time, record hash
    …); the other columns are copies for queries and are checked against it on verification.
    """

    __tablename__ = "signature"

    seq: int = Field(primary_key=True)  # gapless, 1, 2, 3 …
    record_kind: str  # event | label_template | recall_report …
    record_id: str = Field(index=True)
    signer: str  # username
    meaning: str  # reviewed | approved | released | rejected
    signed_at: str  # ISO 8601 with the station's UTC offset
    key_id: str
    payload: str  # canonical JSON (RFC 8785) of the signed manifestation
    signature: str  # Ed25519 over payload, hex
    prev_hash: str
    hash: str = Field(unique=True)


# ----------------------------------------------------------------------------- authentication
# (migration 0012; station/auth/ writes and reads them; docs/auth.md)


class Credential(SQLModel, table=True):
    """A user's secret (PIN or password) as an argon2id hash; a new row per change (append-only).

    The newest row per user is the current secret. ``hash`` is the PHC string of argon2id over
    HMAC-SHA256(pepper, secret): without the station's pepper (OS keyring) it cannot be checked.
    """

    __tablename__ = "credential"
    __table_args__ = (
        CheckConstraint("kind IN ('pin', 'password')", name="ck_credential_kind"),
        CheckConstraint(
            "origin IN ('initial', 'first_admin', 'change', 'reset', 'rehash')",
            name="ck_credential_origin",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(foreign_key="station_user.username", index=True)
    kind: str  # pin | password
    hash: str  # $argon2id$v=19$m=…,t=…,p=…$salt$digest
    pepper_id: str  # SHA-256 of the pepper, 16 hex: which pepper keyed it (not the pepper)
    origin: str  # initial | first_admin | change | reset | rehash
    set_at: str  # when the secret was chosen (a rehash keeps it), UTC milliseconds
    set_by: str | None = None  # who set it (the user, or the admin who reset it)
    must_change: bool = False  # after an admin reset: change before anything else
    expires_at: str | None = None  # UTC milliseconds; None: never
    recorded_at: str  # when this row was written


class BadgeIssue(SQLModel, table=True):
    """Every badge ever issued, once (P11-U1): a badge is never issued to anyone again.

    Filled by triggers on ``station_user`` (any path: login admin, ERP sync, import); the
    primary key and the triggers refuse a re-issue. Who issued it is in the audit trail.
    """

    __tablename__ = "badge_issue"

    badge: str = Field(primary_key=True)
    username: str = Field(foreign_key="station_user.username", index=True)
    issued_at: str  # UTC milliseconds (the database clock)


class AuthAttempt(SQLModel, table=True):
    """One verification of a user's secret: login, signature, confirmation (append-only).

    Consecutive failures (since the last ``ok`` or ``unlock`` row of the user) drive the
    lockout and the delay; failures per station drive the rate limit. What was typed is never
    kept: an unknown user name may be a secret typed into the wrong field.
    """

    __tablename__ = "auth_attempt"
    __table_args__ = (
        CheckConstraint(
            "outcome IN ('ok', 'failed', 'refused', 'unlock')", name="ck_auth_attempt_outcome"
        ),
        Index("ix_auth_attempt_username", "username", "id"),
        Index("ix_auth_attempt_station_at", "station", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: str  # UTC milliseconds
    station: str
    username: str | None = None  # None: no such user (or badge)
    purpose: str  # login | signature | confirm | change
    method: str  # badge | username | secret
    outcome: str  # ok | failed | refused | unlock
    reason: str  # a refusal code (docs/auth.md), or ok


class UserLock(SQLModel, table=True):
    """Locks and unlocks of a user (append-only); the newest row per user says which holds."""

    __tablename__ = "user_lock"
    __table_args__ = (CheckConstraint("action IN ('lock', 'unlock')", name="ck_user_lock_action"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(foreign_key="station_user.username", index=True)
    action: str  # lock | unlock
    at: str  # UTC milliseconds
    by: str | None = None  # None: the station (after failures)
    reason: str


class Attachment(SQLModel, table=True):
    """The bytes of a file an event names by SHA-256, e.g. a QC photo (append-only).

    The event's payload carries the media type, size and SHA-256, so the event's hash (and any
    signature of it) covers the bytes; reading them back checks the hash.
    """

    __tablename__ = "attachment"
    __table_args__ = (
        CheckConstraint(
            "media_type IN ('image/png', 'image/jpeg')", name="ck_attachment_media_type"
        ),
    )

    sha256: str = Field(primary_key=True)  # lowercase hex of the bytes
    media_type: str  # image/png | image/jpeg
    size: int
    bytes: bytes
    created_at: str  # UTC, milliseconds
    created_by: str | None = None  # user id of who stored it
