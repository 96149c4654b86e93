"""Dialogs beside the verdict, never over it: scans go on while a dialog is open, and the guest
in front of staff is let in or not by what the verdict panel says.

A dialog goes where it fits whole: over the camera (left of the verdict), over the lists below,
beside the window on the screen, or above; where nothing holds it whole, into the roomiest of
those places, shrunk to it (never below its minimum size).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QWidget

GAP = 8  # between a dialog and the verdict


def free_regions(clear: QRect, bounds: QRect) -> list[QRect]:
    """The parts of `bounds` beside `clear`, in the order a dialog tries them."""
    left = QRect(bounds.topLeft(), QPoint(clear.left() - GAP - 1, bounds.bottom()))
    below = QRect(QPoint(bounds.left(), clear.bottom() + GAP + 1), bounds.bottomRight())
    right = QRect(QPoint(clear.right() + GAP + 1, bounds.top()), bounds.bottomRight())
    above = QRect(bounds.topLeft(), QPoint(bounds.right(), clear.top() - GAP - 1))
    return [r for r in (left, below, right, above) if r.isValid()]


def place_beside(dialog: QWidget, keep_clear: QWidget) -> None:
    """Move (and if need be shrink) the shown `dialog` so it leaves `keep_clear` in sight."""
    clear = QRect(keep_clear.mapToGlobal(QPoint(0, 0)), keep_clear.size())
    bounds = keep_clear.window().frameGeometry()
    screen = keep_clear.screen()
    if screen is not None:
        bounds = bounds.united(screen.availableGeometry())
    frame = dialog.frameGeometry().size() - dialog.size()  # title bar and borders, if any
    wanted = dialog.size() + frame
    least = dialog.minimumSizeHint().expandedTo(dialog.minimumSize()) + frame
    regions = free_regions(clear, bounds)
    if not regions:
        return
    whole = [r for r in regions if _holds(r.size(), wanted)]
    if whole:
        region, size = whole[0], wanted
    else:
        roomy = [r for r in regions if _holds(r.size(), least)] or regions
        region = max(roomy, key=lambda r: r.width() * r.height())
        size = wanted.boundedTo(region.size()).expandedTo(least)
    dialog.resize(size - frame)
    x = region.left() + max(0, (region.width() - size.width()) // 2)
    y = clear.center().y() - size.height() // 2  # at the verdict's height, kept in its region
    y = max(region.top(), min(y, region.bottom() + 1 - size.height()))
    dialog.move(x, y)


def _holds(room: QSize, size: QSize) -> bool:
    return room.width() >= size.width() and room.height() >= size.height()
