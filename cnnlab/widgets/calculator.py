"""A small output-size calculator widget for notebook 03.

Sliders for input size, kernel, padding, stride and dilation; the formula is written out
with the current numbers, or the message area says why the kernel does not fit.

>>> calculator = OutputSizeCalculator(n=28, k=3, stride=2, padding=1)
>>> calculator.result
14
>>> calculator.controls["n"].value = 5
>>> calculator.controls["k"].value = 9        # 5 + 1 + 1 < 9: does not fit
>>> calculator.result is None
True
>>> "does not fit" in calculator.message
True
>>> calculator
OutputSizeCalculator(n=5, k=9, stride=2, padding=1, dilation=1): does not fit

Displayed, it is the live widget; where widgets cannot run (a static page, GitHub), its
``text/html`` still shows the formula (or the reason) with the numbers of the moment.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import ops
from ._base import Widget

__all__ = ["OutputSizeCalculator"]


class OutputSizeCalculator(Widget):
    """``out = floor((I + 2·pad − k′) / stride) + 1`` with live numbers (k′ = k without dilation).

    ``padding`` may be an int or "same"; the "same" checkbox switches between them.
    """

    def __init__(self, n: int = 28, k: int = 3, *, stride: int = 1, padding=0,
                 dilation: int = 1):
        super().__init__()
        same = padding == "same"
        self.controls = {
            "n": w.IntSlider(value=n, min=1, max=256, description="input I"),
            "k": w.IntSlider(value=k, min=1, max=11, description="kernel k"),
            "padding": w.IntSlider(value=0 if same else padding, min=0, max=10,
                                   description="pad", disabled=same),
            "same": w.Checkbox(value=same, description="'same'"),
            "stride": w.IntSlider(value=stride, min=1, max=8, description="stride"),
            "dilation": w.IntSlider(value=dilation, min=1, max=8, description="dilation"),
        }
        self.formula = w.HTML()
        self.result = None
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self.widget = w.VBox([*self.controls.values(), self.formula, self._message])
        self._update()

    def _arguments(self) -> dict:
        values = {name: control.value for name, control in self.controls.items()}
        return dict(n=values["n"], k=values["k"], stride=values["stride"],
                    padding="same" if values["same"] else values["padding"],
                    dilation=values["dilation"])

    def _update(self, change=None):
        self.controls["padding"].disabled = self.controls["same"].value
        arguments = self._arguments()

        def compute():
            self.result = ops.output_size(**arguments)
            self.formula.value = (f"<div style='font-size:1.3em'>"
                                  f"{html.escape(ops.explain_output_size(**arguments))}</div>")
        if not self._try(compute):
            self.result, self.formula.value = None, ""

    def _describe(self) -> str:
        arguments = self._arguments()
        outcome = "does not fit" if self.result is None else f"out = {self.result}"
        return ("OutputSizeCalculator("
                + ", ".join(f"{name}={value!r}" for name, value in arguments.items())
                + f"): {outcome}")

    def _still(self) -> dict:
        return {"text/html": (f"{self.formula.value}{self._message.value}<p><em>Run the "
                              "notebook to move the sliders.</em></p>")}
