"""The reference ERP endpoint: an EPCIS 2.0 capture interface on loopback, with fault injection.

See ``docs/erp-sim.md`` for the contract and the fault SPEC. ``station erp-sim`` starts it.
"""

from sync.erp_sim.capture import Limits
from sync.erp_sim.faults import Fault, FaultKind, FaultPlan, FaultSpecError, Trigger
from sync.erp_sim.server import ErpSim

__all__ = ["ErpSim", "Fault", "FaultKind", "FaultPlan", "FaultSpecError", "Limits", "Trigger"]
