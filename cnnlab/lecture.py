"""Lecture mode: large fonts and thick lines, readable on a projector from the back row.

One switch for everything the course draws: matplotlib figures (through ``rcParams``) and
the explorers' pictures (through :func:`cnnlab.render.set_style`; explorers already on
screen redraw at once). Widget controls are drawn by the browser: zoom it (Ctrl +) to
enlarge them too.

Examples
--------
>>> import matplotlib
>>> from cnnlab import lecture_mode, render
>>> size = matplotlib.rcParams["font.size"]
>>> _ = lecture_mode()
>>> matplotlib.rcParams["font.size"] > size, render.get_style().name
(True, 'lecture')
>>> _ = lecture_mode(False)
>>> matplotlib.rcParams["font.size"] == size, render.get_style().name
(True, 'default')
>>> with lecture_mode():            # on for a block, then back to what it was
...     render.get_style().name
'lecture'
>>> render.get_style().name
'default'
"""

from __future__ import annotations

from . import render

__all__ = ["lecture_mode", "is_lecture_mode", "LECTURE_RC"]

#: The matplotlib settings of lecture mode (sizes in points).
LECTURE_RC = {
    "font.size": 16,
    "axes.titlesize": 20,
    "axes.labelsize": 18,
    "xtick.labelsize": 15,
    "ytick.labelsize": 15,
    "legend.fontsize": 15,
    "figure.titlesize": 22,
    "lines.linewidth": 3.5,
    "lines.markersize": 10,
    "axes.linewidth": 2.0,
    "patch.linewidth": 2.0,
    "grid.linewidth": 1.5,
    "xtick.major.width": 2.0,
    "ytick.major.width": 2.0,
    "xtick.major.size": 7,
    "ytick.major.size": 7,
}

# While lecture mode is on: the rcParams values it replaced, to put back exactly.
_replaced: dict = {}
_state = {"on": False}


class _Restorer:
    """Returned by :func:`lecture_mode` so that ``with lecture_mode():`` restores on exit."""

    def __init__(self, was_on: bool):
        self._was_on = was_on

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        lecture_mode(self._was_on)


def lecture_mode(on: bool = True) -> _Restorer:
    """Switch lecture mode on (large fonts, thick lines) or, with ``on=False``, back off.

    Off restores exactly the matplotlib settings that were in force when it was switched
    on. Switching on twice changes nothing more. Used as a context manager
    (``with lecture_mode(): ...``) it returns to the previous mode at the end of the block.

    Parameters
    ----------
    on : bool
        True for lecture mode, False for the normal look.

    Raises
    ------
    TypeError
        ``on`` is not a bool.
    """
    if not isinstance(on, bool):
        raise TypeError(f"on must be True or False, got {on!r} ({type(on).__name__})")
    import matplotlib  # here, not at import: `import cnnlab` stays light

    was_on = _state["on"]
    if on and not was_on:
        _replaced.update({key: matplotlib.rcParams[key] for key in LECTURE_RC})
        matplotlib.rcParams.update(LECTURE_RC)
    elif not on and was_on:
        matplotlib.rcParams.update(_replaced)
        _replaced.clear()
    _state["on"] = on
    render.set_style("lecture" if on else "default")
    return _Restorer(was_on)


def is_lecture_mode() -> bool:
    """Whether lecture mode is on."""
    return _state["on"]
