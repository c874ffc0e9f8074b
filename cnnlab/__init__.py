"""cnnlab — the helper package of an interactive course on convolutional neural networks.

``import cnnlab`` is light: it imports no submodule and never TensorFlow. Each submodule
is imported the first time it is touched (``cnnlab.ops``, like scikit-image's lazy
submodules), so ``cnnlab.ops.conv2d`` works after a bare ``import cnnlab`` and costs only
numpy. The Keras half (``models``, ``pretrained``, ``transfer``, ``evaluation``'s model
functions) imports TensorFlow inside its functions, through :func:`import_keras`.

Examples
--------
>>> import cnnlab
>>> cnnlab.ops.output_size(5, 3)
3
>>> {"ops", "figures", "models", "widgets"} <= set(dir(cnnlab))
True
"""

import importlib
import pkgutil

from ._tf import import_keras

__version__ = "0.1.0"

#: The public submodules: every module or package here whose name has no leading "_".
SUBMODULES = tuple(sorted(module.name for module in pkgutil.iter_modules(__path__)
                          if not module.name.startswith("_")))

__all__ = ["import_keras", "lecture_mode", *SUBMODULES]


def __getattr__(name):
    # Imported on first use, so that `import cnnlab` stays light.
    if name in SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name == "lecture_mode":
        from .lecture import lecture_mode

        return lecture_mode
    raise AttributeError(f"module 'cnnlab' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *__all__})
