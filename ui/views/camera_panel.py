"""The camera dock: the live preview, and for the simulated camera, labels to hold under it.

The preview is :class:`ui.widgets.camera_preview.CameraPreview` fed by a
:class:`ui.camera.CameraBridge`. With the twin (demo, or ``camera.kind = "simulated"``) a row
of buttons puts a synthetic label in front of the camera for a few seconds; the label goes
through the same capture → decode → repeat filter → Identify path a real camera's frames take.
"""

from __future__ import annotations

from drivers.camera.synth import Distortion, LabelSpec, standard_specs
from drivers.simulated.camera import SimulatedCamera
from ui.camera import CameraBridge
from ui.qt import QGridLayout, QLabel, QPushButton, Qt, QVBoxLayout, QWidget
from ui.widgets.camera_preview import CameraPreview

#: How long a label the demo "holds" stays under the camera.
HOLD_SECONDS = 2.5
#: A slight tilt and blur, so the demo shows a realistic read rather than a perfect image.
HELD = Distortion(rotation_deg=12, blur_sigma=0.8, noise_sigma=4, perspective=0.04)


class CameraPanel(QWidget):
    """Preview of one camera; ``hold_buttons`` only when the camera is the twin."""

    def __init__(
        self,
        bridge: CameraBridge,
        simulated: SimulatedCamera | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.preview = CameraPreview(self)
        self.preview.attach(bridge)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        self.hold_buttons: list[QPushButton] = []
        if simulated is not None:
            hint = QLabel(self.tr("Hold a label under the simulated camera:"), self)
            hint.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(hint)
            grid = QGridLayout()  # two columns keep the dock narrow beside the scan screen
            for index, spec in enumerate(standard_specs()):
                button = QPushButton(spec.name or spec.format, self)
                button.setToolTip(spec.content)
                button.clicked.connect(lambda _=False, s=spec, cam=simulated: self._hold(cam, s))
                grid.addWidget(button, index // 2, index % 2)
                self.hold_buttons.append(button)
            layout.addLayout(grid)

    @staticmethod
    def _hold(camera: SimulatedCamera, spec: LabelSpec) -> None:
        camera.show_code(spec, HELD, seconds=HOLD_SECONDS)
