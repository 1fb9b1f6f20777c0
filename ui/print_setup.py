"""What a print screen needs, and the demo's: an open store, who prints, printers, verifiers.

:class:`DemoPrintStation` builds the demo's set-up on first use (a seeded store in a temporary
folder, the simulated ZPL printer on loopback, the demo camera as verifier).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from station.context import WriteContext
from station.errors import StationError
from station.labels.template import LabelTemplate
from ui.label_verifiers import CameraVerifier, LabelVerifier, RenderedImageVerifier
from ui.print_run import PrinterChoice

if TYPE_CHECKING:
    from drivers.camera.source import CameraScanSource
    from drivers.printers.simulated import SimulatedZplPrinter
    from station.persistence.store import Store
    from ui.workstation import Workstation

__all__ = ["DemoPrintStation", "PrintSetup", "approved_templates"]


def approved_templates(store: Store) -> list[LabelTemplate]:
    """Every template with an approved version, that version (a short read of its own)."""
    from station.labels.governance import template_at, template_versions  # noqa: PLC0415

    with store.engine.connect() as conn:
        return [
            template_at(conn, v.name, v.version)
            for v in template_versions(conn)
            if v.status == "approved"
        ]


@dataclass
class PrintSetup:
    """What a print screen needs: the open store, who prints, the printers, the verifiers."""

    store: Store
    ctx: WriteContext
    printers: tuple[PrinterChoice, ...]
    camera_verifier: LabelVerifier | None = None
    samples: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    rendered_verifier: LabelVerifier = field(default_factory=RenderedImageVerifier)
    #: The signed-in user's context at print time (the station window); ``None``: ``ctx``.
    context: Callable[[], WriteContext] | None = None

    def current_ctx(self) -> WriteContext:
        """Who prints now: the signed-in user (raises ``NotAuthenticatedError`` when nobody
        is), or the fixed ``ctx`` of a set-up without login."""
        return self.context() if self.context is not None else self.ctx

    def templates(self) -> list[LabelTemplate]:
        return approved_templates(self.store)


class DemoPrintStation:
    """The demo's print set-up, made on first use (not at start-up): a seeded store in a
    temporary folder (:func:`station.demo.labels.seed_label_demo`), the simulated ZPL printer on
    loopback, and the demo camera as the verifier when there is one.

    :meth:`open` is thread-safe and blocking (call it off the GUI thread); :meth:`close` stops
    the printer, closes the store and removes the folder.
    """

    def __init__(
        self, camera: CameraScanSource | None = None, workstation: Workstation | None = None
    ) -> None:
        self.camera = camera
        #: Print on this open station database as its signed-in user, instead of a label store
        #: of its own (the demo window); the store stays the workstation's to close.
        self.workstation = workstation
        self.printer: SimulatedZplPrinter | None = None
        self.folder: Path | None = None
        self._lock = threading.Lock()
        self._setup: PrintSetup | None = None
        self._closed = False

    def open(self) -> PrintSetup:
        with self._lock:
            if self._closed:
                msg = "the demo print station is closed"
                raise StationError(msg)
            if self._setup is None:
                self._setup = self._build()
            return self._setup

    def _build(self) -> PrintSetup:
        from drivers.printers.simulated import SimulatedZplPrinter  # noqa: PLC0415
        from station.demo.labels import LABEL_STATION, demo_contexts, seed_label_demo  # noqa: PLC0415
        from station.persistence.store import open_store  # noqa: PLC0415

        if self.workstation is not None:
            return self._build_on_workstation(self.workstation)
        self.folder = Path(tempfile.mkdtemp(prefix="udi-station-labels-"))
        store = open_store(self.folder / "label-demo.sqlite")
        try:
            demo = seed_label_demo(store, WriteContext(LABEL_STATION))
            printer = SimulatedZplPrinter("demo")
            printer.start()
        except BaseException:
            store.close()
            raise
        self.printer = printer
        choice = PrinterChoice("demo-zpl", "zpl", 203, printer.settings())
        verifier = CameraVerifier(self.camera) if self.camera is not None else None
        return PrintSetup(
            store=store,
            ctx=demo_contexts(WriteContext(LABEL_STATION))[2],
            printers=(choice,),
            camera_verifier=verifier,
            samples=demo.samples,
        )

    def _build_on_workstation(self, workstation: Workstation) -> PrintSetup:
        from drivers.printers.simulated import SimulatedZplPrinter  # noqa: PLC0415
        from station.demo.labels import label_samples  # noqa: PLC0415

        with workstation.store.engine.connect() as conn:
            samples = label_samples(conn)
        printer = SimulatedZplPrinter("demo")
        printer.start()
        self.printer = printer
        choice = PrinterChoice("demo-zpl", "zpl", 203, printer.settings())
        verifier = CameraVerifier(self.camera) if self.camera is not None else None
        return PrintSetup(
            store=workstation.store,
            ctx=WriteContext(workstation.station),
            printers=(choice,),
            camera_verifier=verifier,
            samples=samples,
            context=workstation.context,
        )

    def close(self) -> None:
        with self._lock:
            self._closed = True
            setup, self._setup = self._setup, None
            if self.printer is not None:
                self.printer.stop()
                self.printer.join(5)
            if setup is not None and self.workstation is None:
                setup.store.close()
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
