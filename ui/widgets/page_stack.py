"""A page stack as tall and wide as the page on show, not as the largest page ever stacked.

``QStackedWidget`` asks for the room of its largest page. Inside the window's scroll area that
means a short screen scrolls (and its bottom buttons hide below the fold) only because a
taller screen was opened earlier. This stack asks for the current page's room only.
"""

from __future__ import annotations

from ui.qt import QSize, QSizePolicy, QStackedWidget, QWidget


class PageStack(QStackedWidget):
    """A :class:`QStackedWidget` sized by its current page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The pages' own size policies, kept while they are off show.
        self._policies: dict[QWidget, QSizePolicy] = {}
        self.currentChanged.connect(self._page_changed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        page = self.currentWidget()
        return page.hasHeightForWidth() if page is not None else False

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        # The stack's layout answers with the tallest page at this width (a page with
        # word-wrapped text anywhere makes the whole stack height-for-width).
        page = self.currentWidget()
        return page.heightForWidth(width) if page is not None else -1

    def _page_changed(self, _index: int) -> None:
        # The stack's layout takes the largest minimum of all its pages; a page whose size
        # policy is Ignored counts as none, so the pages off show get that until shown again.
        current = self.currentWidget()
        ignored = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        for index in range(self.count()):
            page = self.widget(index)
            if page is None:
                continue
            if page is current:
                own = self._policies.pop(page, None)
                if own is not None:
                    page.setSizePolicy(own)
            elif page not in self._policies:
                self._policies[page] = page.sizePolicy()
                page.setSizePolicy(ignored)
        self.updateGeometry()
