"""Build the sync engine from the station's settings: connector, HTTP client, token, key.

The one place that knows which connector a setting names, so the GUI and the command line
sync the same way.
"""

from __future__ import annotations

from pathlib import Path

from station.config import SyncConfig
from station.context import WriteContext
from station.errors import StationError
from station.persistence.writer import DbWriter
from sync.connectors.base import Connector
from sync.connectors.epcis import EpcisCaptureConnector
from sync.connectors.webhook import WebhookConnector
from sync.credentials import TokenStore
from sync.engine import SyncEngine, SyncSettings
from sync.http import InsecureEndpointError, make_client
from sync.master_pull import MasterPuller

__all__ = ["SyncSetupError", "build_connector", "build_engine"]


class SyncSetupError(StationError):
    """The sync settings cannot work (no endpoint, an insecure one, a missing CA file)."""


def build_connector(config: SyncConfig, token: str | None = None) -> Connector:
    if config.connector not in ("epcis", "webhook"):
        raise SyncSetupError(f"sync is off (connector {config.connector!r})")
    if not config.endpoint:
        raise SyncSetupError("no ERP endpoint: give --endpoint or set sync.endpoint")
    ca_file = Path(config.ca_file) if config.ca_file else None
    if ca_file is not None and not ca_file.is_file():
        raise SyncSetupError(f"the CA file {ca_file} does not exist")
    try:
        client = make_client(config.endpoint, token=token, ca_file=ca_file)
    except InsecureEndpointError as error:
        raise SyncSetupError(str(error)) from error
    if config.connector == "webhook":
        return WebhookConnector(client)
    return EpcisCaptureConnector(client)


def build_engine(
    writer: DbWriter,
    config: SyncConfig,
    station: str,
    actor: str | None = None,
    actor_name: str | None = None,
    *,
    public_key_pem: str | None = None,
) -> SyncEngine:
    """An engine over ``writer``'s store; its token comes from the keyring (or environment)."""
    token = TokenStore(config.endpoint).token() if config.endpoint else None
    connector = build_connector(config, token)
    ctx = WriteContext(station=station, actor=actor or "system:sync", actor_name=actor_name)
    settings = SyncSettings(
        period_s=float(config.period_s),
        skew_warn_s=float(config.skew_warn_s),
        master_period_s=float(config.master_period_s),
    )
    master = None
    if config.master_data and isinstance(connector, EpcisCaptureConnector):
        master = MasterPuller(connector.client, config.endpoint, writer, ctx)  # one client
    return SyncEngine(
        writer, connector, ctx, settings, public_key_pem=public_key_pem, master=master
    )
