"""A small output-size calculator widget for notebook 03.

Sliders for input size, kernel, padding, stride and dilation; the formula is written out
with the current numbers, or the reason the kernel does not fit.

>>> calculator = OutputSizeCalculator(n=28, k=3, stride=2, padding=1)
>>> calculator.result
14
>>> calculator.controls["n"].value = 5
>>> calculator.controls["k"].value = 9        # 5 + 1 + 1 < 9: does not fit
>>> calculator.result is None
True
>>> "does not fit" in calculator.message.value
True
>>> calculator
OutputSizeCalculator(n=5, k=9, stride=2, padding=1, dilation=1): does not fit

Displayed, it is the live widget; where widgets cannot run (a static page, GitHub), its
``text/html`` still shows the formula with the numbers of the moment.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from . import ops


class OutputSizeCalculator:
    """``out = floor((I + 2·pad − k′) / stride) + 1`` with live numbers.

    ``padding`` may be an int or "same"; the "same" checkbox switches between them.
    """

    def __init__(self, n: int = 28, k: int = 3, *, stride: int = 1, padding=0,
                 dilation: int = 1):
        same = padding == "same"
        self.controls = {
            "n": widgets.IntSlider(value=n, min=1, max=256, description="input I"),
            "k": widgets.IntSlider(value=k, min=1, max=11, description="kernel k"),
            "padding": widgets.IntSlider(value=0 if same else padding, min=0, max=10,
                                         description="pad", disabled=same),
            "same": widgets.Checkbox(value=same, description="'same'"),
            "stride": widgets.IntSlider(value=stride, min=1, max=8, description="stride"),
            "dilation": widgets.IntSlider(value=dilation, min=1, max=8,
                                          description="dilation"),
        }
        self.message = widgets.HTML()
        self.result = None
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self.widget = widgets.VBox([*self.controls.values(), self.message])
        self._update()

    def _update(self, change=None):
        values = {name: control.value for name, control in self.controls.items()}
        self.controls["padding"].disabled = values["same"]
        padding = "same" if values["same"] else values["padding"]
        arguments = dict(stride=values["stride"], padding=padding,
                         dilation=values["dilation"])
        try:
            self.result = ops.output_size(values["n"], values["k"], **arguments)
            text = ops.explain_output_size(values["n"], values["k"], **arguments)
            colour = "inherit"
        except ValueError as error:
            self.result, text, colour = None, str(error), "#b2182b"
        self.message.value = (f"<div style='font-size:1.3em;color:{colour}'>"
                              f"{html.escape(text)}</div>")

    def __repr__(self) -> str:
        values = {name: control.value for name, control in self.controls.items()}
        padding = "'same'" if values["same"] else values["padding"]
        outcome = "does not fit" if self.result is None else f"out = {self.result}"
        return (f"OutputSizeCalculator(n={values['n']}, k={values['k']}, "
                f"stride={values['stride']}, padding={padding}, "
                f"dilation={values['dilation']}): {outcome}")

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/plain": repr(self),
            "text/html": (f"{self.message.value}<p><em>Run the notebook to move the "
                          "sliders.</em></p>"),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id},
        }
