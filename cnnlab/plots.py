"""Figures the notebooks show: rows of images and feature maps, big enough to project.

>>> import numpy as np
>>> from cnnlab import plots
>>> fig = plots.show_images([np.zeros((4, 4)), np.ones((4, 4))], ["zeros", "ones"])
>>> len(fig.axes)
2
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np


def show_images(pictures, titles=None, *, cmap="gray", columns=None, size=3.0,
                signed=False):
    """Arrays side by side without axes, as a figure for the notebook to display.

    The figure is detached from pyplot (closed), so it appears exactly once: as the value
    of the cell, not again when pyplot flushes its open figures.

    Parameters
    ----------
    pictures : sequence of arrays
        (H, W) arrays are drawn with ``cmap``; (H, W, 3) uint8 arrays as colour photos.
    titles : sequence of str, optional
    cmap : str
        Colour map for 2-D arrays ("gray", "viridis", "cividis", …).
    columns : int, optional
        Pictures per row (default: all in one row, at most 5).
    size : float
        Inches per picture.
    signed : bool
        Centre a diverging colour map (RdBu) on 0 for 2-D arrays with negative values,
        so positive and negative responses read differently.
    """
    pictures = list(pictures)
    titles = list(titles) if titles is not None else [""] * len(pictures)
    if len(titles) != len(pictures):
        raise ValueError(f"titles must have one entry per picture ({len(pictures)}), "
                         f"got {len(titles)}")
    columns = columns or min(len(pictures), 5)
    rows = math.ceil(len(pictures) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows),
                             squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, picture, title in zip(axes.flat, pictures, titles, strict=False):
        picture = np.asarray(picture)
        if picture.ndim == 2 and signed and picture.min() < 0:
            limit = np.abs(picture).max()
            ax.imshow(picture, cmap="RdBu_r", vmin=-limit, vmax=limit)
        elif picture.ndim == 2:
            ax.imshow(picture, cmap=cmap)
        else:
            ax.imshow(picture)
        ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    return fig
