"""The Admin screen's Devices and printers tab: the scanner, keyboard wedge, camera and
printers the station is set up with, their state when the station runs them, and a test print.

Anyone who may open the screen sees this tab; the test print needs ``settings.manage``. The
set-up comes from the settings (``env.extras["settings"]``, else the settings file
``env.extras["settings_file"]``, else the defaults, said so); live state from the device
objects the station passes (``env.extras["scanners"]``: objects with ``name`` and ``state``;
``env.extras["camera"]``: the same); printers from ``env.extras["printers"]`` (a sequence of
:class:`ui.print_run.PrinterChoice`) or the print set-up (``env.extras["printing"]``, whose
``open()`` gives ``printers``; opened off the GUI thread). Printers are configured in their own
TOML file (``docs/printers.md``), not in the settings, so they are shown, not edited, here.

The test print is the calibration label (``station/labels/calibration.py``, as
``station label calibrate``), rendered for the printer's language and resolution and sent
through its transport off the GUI thread. It carries no record data, so nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from station.access import SETTINGS_MANAGE, NotAuthenticatedError, allowed
from station.admin.settings_file import read_settings_file
from station.config import Settings
from station.errors import ConfigError
from station.labels.calibration import calibration_label
from ui.print_run import PrinterChoice, payloads_for, printer_transport
from ui.qt import (
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QStandardItemModel,
    QVBoxLayout,
    QWidget,
)
from ui.screens.admin_common import (
    StatusLine,
    error_text,
    plain_label,
    read_only_table,
    run_in_background,
    text_item,
)
from ui.screens.base import ScreenEnv
from ui.screens.words import Words

__all__ = ["DevicesTab", "device_state", "transport_text"]

SEND_TIMEOUT = 30.0


def device_state(device: object) -> str:
    """A live device's state in words (an enum's value translated, or whatever it says)."""
    state = getattr(device, "state", None)
    if state is None:
        return ""
    return Words().device_state(str(getattr(state, "value", state)))


def transport_text(choice: PrinterChoice) -> str:
    """Where a printer is reached, in one line (no secrets live in printer settings)."""
    settings = dict(choice.transport)
    kind = str(settings.pop("transport", "?"))
    detail = ", ".join(f"{key}={value}" for key, value in sorted(settings.items()))
    return f"{kind} ({detail})" if detail else kind


class DevicesTab(QWidget):
    """See the module docstring."""

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.setObjectName("adminDevicesTab")
        self.printers: list[PrinterChoice] = []
        self.form = QFormLayout()
        self.source_note = plain_label("", self, name="devicesSource")
        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels(
            [
                self.tr("Printer"),
                self.tr("Language"),
                self.tr("Resolution (dpi)"),
                self.tr("Connection"),
            ]
        )
        self.table = read_only_table(self, "printersTable")
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.width_box = QSpinBox(self)
        self.width_box.setObjectName("calibrationWidth")
        self.width_box.setRange(10, 200)
        self.width_box.setValue(50)
        self.width_box.setSuffix(" mm")
        self.height_box = QSpinBox(self)
        self.height_box.setObjectName("calibrationHeight")
        self.height_box.setRange(10, 300)
        self.height_box.setValue(30)
        self.height_box.setSuffix(" mm")
        self.test_button = QPushButton(self.tr("&Test print (calibration label)"), self)
        self.test_button.setObjectName("testPrintButton")
        self.test_button.clicked.connect(self.test_print)
        self.refresh_button = QPushButton(self.tr("R&efresh"), self)
        self.refresh_button.setObjectName("devicesRefreshButton")
        self.refresh_button.clicked.connect(self.refresh)
        self.status = StatusLine(self, "devicesStatus")

        test = QHBoxLayout()
        test.addWidget(plain_label(self.tr("Label width"), self))
        test.addWidget(self.width_box)
        test.addWidget(plain_label(self.tr("height"), self))
        test.addWidget(self.height_box)
        test.addWidget(self.test_button)
        test.addStretch(1)
        test.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.source_note)
        layout.addLayout(self.form)
        layout.addWidget(plain_label(self.tr("Printers"), self, bold=True))
        layout.addWidget(self.table, 1)
        layout.addLayout(test)
        layout.addWidget(self.status)
        self._update_buttons()

    # -- reading --------------------------------------------------------------------------

    def settings(self) -> Settings:
        settings = self.env.extras.get("settings")
        if isinstance(settings, Settings):
            self.source_note.setText(self.tr("As the station runs now."))
            return settings
        path = self.env.extras.get("settings_file")
        if isinstance(path, Path):
            try:
                loaded = read_settings_file(path).settings
            except ConfigError as error:
                self.source_note.setText(
                    self.tr("The settings file cannot be read: {error}").format(
                        error=error_text(error)
                    )
                )
                return Settings()
            self.source_note.setText(
                self.tr("From the settings file {file} (a restart applies changes).").format(
                    file=str(path)
                )
            )
            return loaded
        self.source_note.setText(
            self.tr("The settings are not known here: the defaults are shown.")
        )
        return Settings()

    def _row(self, label: str, value: str, name: str) -> None:
        self.form.addRow(plain_label(label, self), plain_label(value, self, name=name))

    def refresh(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        settings = self.settings()
        self._scanner_rows(settings)
        self._camera_rows(settings)
        self._load_printers()

    def _live(self, key: str) -> list[object]:
        value = self.env.extras.get(key)
        if value is None:
            return []
        if isinstance(value, Sequence) and not isinstance(value, str | bytes):
            return list(value)
        return [value]

    def _scanner_rows(self, settings: Settings) -> None:
        words = Words()
        kind = settings.values["scanner.kind"]
        self._row(self.tr("Scanner"), words.scanner_kind(str(kind)), "scannerKind")
        if kind == "serial":
            try:
                serial = settings.serial_scanner()
                text = self.tr("{port}, {baud} baud, end of scan {end}").format(
                    port=serial.port, baud=serial.baudrate, end=words.scan_end(serial.terminator)
                )
            except ConfigError as error:
                text = error_text(error)
            self._row(self.tr("Serial port"), text, "scannerSerial")
        try:
            wedge = settings.wedge()
            text = self.tr(
                "keys at most {gap} ms apart, at least {length} keys, ended by {end}"
            ).format(
                gap=wedge.max_key_gap_ms,
                length=wedge.min_length,
                end=words.scan_end(wedge.terminator),
            )
        except ConfigError as error:
            text = error_text(error)
        self._row(self.tr("Keyboard wedge"), text, "wedgeTiming")
        for number, device in enumerate(self._live("scanners")):
            name = str(getattr(device, "name", "?"))
            self._row(
                self.tr("Scanner {name}").format(name=name),
                device_state(device) or self.tr("state unknown"),
                f"scannerState{number}",
            )

    def _camera_rows(self, settings: Settings) -> None:
        camera = settings.camera()
        if camera.kind == "none":
            text = self.tr("none")
        else:
            text = self.tr("{kind} {source}, {width}×{height}, reads {formats}").format(
                kind=Words().camera_kind(camera.kind),
                source=camera.source or "0",
                width=camera.width,
                height=camera.height,
                formats=", ".join(camera.formats),
            )
        self._row(self.tr("Camera"), text, "cameraSettings")
        for device in self._live("camera"):
            self._row(
                # A CameraBridge names its camera ``camera_name`` (its ``name`` is Qt's).
                self.tr("Camera {name}").format(
                    name=str(getattr(device, "camera_name", None) or getattr(device, "name", "?"))
                ),
                device_state(device) or self.tr("state unknown"),
                "cameraState",
            )

    def _load_printers(self) -> None:
        given = self.env.extras.get("printers")
        if isinstance(given, Sequence):
            self._show_printers([p for p in given if isinstance(p, PrinterChoice)])
            return
        source = self.env.extras.get("printing")
        opener = getattr(source, "open", None)
        if not callable(opener):
            self._show_printers([])
            self.status.note(self.tr("No printer is configured on this station."))
            return

        def printers() -> list[PrinterChoice]:
            return list(getattr(opener(), "printers", ()))

        run_in_background(
            self,
            printers,
            self._show_printers,
            lambda error: self.status.refused(error_text(error)),
            name="admin-printers-read",
        )

    def _show_printers(self, printers: list[PrinterChoice]) -> None:
        self.printers = printers
        self.model.removeRows(0, self.model.rowCount())
        for choice in printers:
            self.model.appendRow(
                [
                    text_item(choice.name),
                    text_item(choice.language),
                    text_item(str(choice.dpi)),
                    text_item(transport_text(choice)),
                ]
            )
        if printers:
            self.table.selectRow(0)
        self._update_buttons()

    # -- test print -----------------------------------------------------------------------

    def current(self) -> PrinterChoice | None:
        rows = self.table.selectionModel().selectedRows()
        return self.printers[rows[0].row()] if rows else None

    def _may_change(self) -> bool:
        try:
            return allowed(self.env.context(), SETTINGS_MANAGE)
        except NotAuthenticatedError:
            return False

    def _update_buttons(self) -> None:
        may = self._may_change()
        self.test_button.setEnabled(self.current() is not None and may)
        for box in (self.width_box, self.height_box):
            box.setEnabled(may)

    def test_print(self) -> None:
        choice = self.current()
        if choice is None or not self._may_change():
            self.status.refused(self.tr("A test print needs the right to change station settings."))
            return
        width, height = float(self.width_box.value()), float(self.height_box.value())
        self.test_button.setEnabled(False)
        self.status.note(
            self.tr("Sending the calibration label to {name}…").format(name=choice.name)
        )

        def send() -> None:
            label = calibration_label(width, height, choice.dpi)
            payloads = payloads_for([label], choice.language, choice.dpi)
            with printer_transport(choice) as transport:
                for payload in payloads:
                    transport.send(payload, timeout=SEND_TIMEOUT)

        def done(_result: None) -> None:
            text = self.tr(
                "Calibration label sent to {name}: measure the square and the rulers."
            ).format(name=choice.name)
            self.status.ok(text)
            self.env.feedback.accepted(text)
            self._update_buttons()

        def failed(error: BaseException) -> None:
            text = self.tr("Test print failed: {error}").format(error=error_text(error))
            self.status.refused(text)
            self.env.feedback.refused(text)
            self._update_buttons()

        run_in_background(self, send, done, failed, name="admin-test-print")
