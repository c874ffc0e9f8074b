"""What every cnnlab widget shares: a message area and how it shows itself.

A widget's ``widget`` is the ipywidgets box to display or embed. Displayed, it gives the
live widget plus a still (``text/html`` or ``image/png``) for places where no kernel
runs (GitHub, a static HTML export), and a readable ``text/plain`` (what nbval compares).
"""

from __future__ import annotations

import html

import ipywidgets as w

#: MIME type of a live ipywidgets view in a notebook output.
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


class Widget:
    """Base of the course's widgets.

    Subclasses set ``self.widget`` and define ``_describe()`` (one line of text) and
    ``_still()`` (a MIME bundle without the live view: ``{"text/html": …}`` or
    ``{"image/png": …}``).
    """

    def __init__(self):
        self._message = w.HTML()
        self._message_text = ""

    @property
    def message(self) -> str:
        """The text in the message area ('' when all is well)."""
        return self._message_text

    def _set_message(self, text: str) -> None:
        self._message_text = text
        self._message.value = (f"<span style='color:#b00020'>⚠ {html.escape(text)}</span>"
                               if text else "")

    def _try(self, action, *, otherwise: str = "") -> bool:
        """Run ``action``; a user mistake goes to the message area, never an exception.

        ``otherwise`` tells the user what the widget shows instead (e.g. "showing the last
        valid settings"); the widget keeps working either way.
        """
        try:
            action()
        except (ValueError, TypeError) as error:
            self._set_message(f"{error} — {otherwise}." if otherwise else str(error))
            return False
        self._set_message("")
        return True

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/plain": self._describe(),
            **self._still(),
            WIDGET_MIME: {"version_major": 2, "version_minor": 0,
                          "model_id": self.widget.model_id},
        }

    def __repr__(self) -> str:
        return self._describe()
