"""The one place where cnnlab imports TensorFlow.

TensorFlow's C++ log lines would land in a notebook's stderr (and break nbval), and
oneDNN's reordered float sums make results differ between runs; both are switched off
here, before TensorFlow is first imported.
"""

from __future__ import annotations

import os

#: TensorFlow's settings, set before it is first imported: C++ log lines off (they break
#: nbval), oneDNN off (its reordered float sums make results differ between runs). The
#: notebook executor and the tests take them from here too.
TF_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}


def tensorflow():
    """Import and return the ``tensorflow`` module, quietly and deterministically.

    >>> tf = tensorflow()
    >>> tf.constant(1.0).dtype.name
    'float32'
    """
    for name, value in TF_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    try:
        import tensorflow as tf
    except ImportError as error:  # pragma: no cover - exercised only without TF
        raise ImportError(
            "this part of cnnlab needs TensorFlow: `pip install 'cnnlab[tf]'` "
            "(Google Colab already has it)"
        ) from error
    return tf


def keras():
    """Import and return Keras 3 (through :func:`tensorflow`), with quiet training logs."""
    tensorflow()
    import keras as keras_module

    keras_module.config.disable_interactive_logging()
    return keras_module
