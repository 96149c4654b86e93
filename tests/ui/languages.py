"""What a person sees in a widget tree: every visible text, and whether it fits its widget."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)


def shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def visible_texts(root: QWidget) -> Iterator[tuple[QWidget, str]]:
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not shown(widget):
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield widget, widget.text()
            yield widget, widget.toolTip()
        elif isinstance(widget, QLineEdit):
            yield widget, widget.placeholderText()
        elif isinstance(widget, QGroupBox):
            yield widget, widget.title()
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                yield widget, widget.tabText(index)
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            yield widget, widget.currentText()


def cut_off(widget: QWidget, text: str) -> bool:
    """True when `text` does not fit in the room its widget has on screen."""
    metrics = widget.fontMetrics()
    room = widget.contentsRect()
    if isinstance(widget, QLabel):
        if widget.wordWrap():
            return widget.heightForWidth(room.width()) > room.height() + 2
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextExpandTabs)
        needed = metrics.boundingRect(0, 0, 100_000, 100_000, flags, text)
        return needed.width() > room.width() + 1 or needed.height() > room.height() + 2
    if isinstance(widget, QAbstractButton):
        return widget.sizeHint().width() > widget.width() + 1
    return False
