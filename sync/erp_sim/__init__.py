"""The reference ERP endpoint: EPCIS 2.0 capture, master-data feed, webhook and checkpoints on
loopback, optionally over TLS behind a bearer token, with fault injection.

See ``docs/erp-sim.md`` for the contract and the fault SPEC. ``station erp-sim`` starts it.
"""

from sync.erp_sim.capture import Limits
from sync.erp_sim.enrolment import EnrolledKey, EnrolmentError
from sync.erp_sim.faults import Fault, FaultKind, FaultPlan, FaultSpecError, Trigger
from sync.erp_sim.master import CURSOR_EXPIRED, MasterData, MasterDataError
from sync.erp_sim.server import ErpSim

__all__ = [
    "CURSOR_EXPIRED",
    "EnrolledKey",
    "EnrolmentError",
    "ErpSim",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "FaultSpecError",
    "Limits",
    "MasterData",
    "MasterDataError",
    "Trigger",
]
