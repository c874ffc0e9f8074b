"""The course's widgets, all on one small base (:mod:`cnnlab.widgets._base`).

- :class:`ConvolutionExplorer`, :class:`PoolingExplorer`, :class:`ChannelExplorer` —
  press Play and watch a kernel slide over an image (:mod:`cnnlab.widgets.explorers`).
- :class:`FeatureMapExplorer` — one image's activations in a trained CNN, layer by layer.
- :class:`OutputSizeCalculator` — the output-size formula with live numbers.

Built on ipywidgets' core widgets only, so they run in JupyterLab, Notebook 7, VS Code
and Google Colab (ipywidgets 7.7.1 and 8). Each shows a bad input in its message area and
keeps working; displayed, each also leaves a still picture (:mod:`cnnlab.widgets.export`)
for places where no kernel runs.

Examples
--------
>>> import numpy as np
>>> from cnnlab.widgets import PoolingExplorer
>>> PoolingExplorer(np.arange(16).reshape(4, 4), 2).n_steps
4
"""

from .calculator import OutputSizeCalculator
from .explorers import ChannelExplorer, ConvolutionExplorer, PoolingExplorer
from .feature_maps import FeatureMapExplorer

__all__ = ["ConvolutionExplorer", "PoolingExplorer", "ChannelExplorer", "FeatureMapExplorer",
           "OutputSizeCalculator"]
