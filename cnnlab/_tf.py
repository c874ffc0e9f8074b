"""The one place where cnnlab imports TensorFlow and Keras.

TensorFlow's C++ log lines would land in a notebook's stderr (and break nbval), and
oneDNN's reordered float sums make results differ between runs; both are switched off
here, before TensorFlow is first imported. Every module of cnnlab that needs Keras calls
:func:`import_keras` inside its functions, never at import time, so that ``import cnnlab``
and the numpy half (images, ops, trace, render, widgets) stay free of TensorFlow.
"""

from __future__ import annotations

import ctypes
import os
import sys

#: TensorFlow's settings, set before it is first imported: C++ log lines off (they break
#: nbval), oneDNN off (its reordered float sums make results differ between runs). The
#: notebook executor and the tests take them from here too.
TF_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}


def import_tensorflow():
    """``import tensorflow``, quietly and deterministically (:data:`TF_ENVIRONMENT`).

    Returns
    -------
    module
        The ``tensorflow`` module.

    Examples
    --------
    >>> tf = import_tensorflow()
    >>> tf.constant(1.0).dtype.name
    'float32'
    """
    for name, value in TF_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    _fewer_malloc_arenas()
    try:
        import tensorflow as tf
    except ImportError as error:  # pragma: no cover - exercised only without TF
        raise ImportError(
            "this part of cnnlab needs TensorFlow: `pip install 'cnnlab[tf]'` "
            "(Google Colab already has it)"
        ) from error
    return tf


#: glibc's mallopt option M_ARENA_MAX (malloc.h).
_M_ARENA_MAX = -8


def _fewer_malloc_arenas(arenas: int = 2) -> None:
    """Let glibc keep at most ``arenas`` heaps, before TensorFlow starts its threads.

    glibc gives busy threads heaps of their own (up to 8 per core); memory that
    TensorFlow's thread pools free stays in those heaps, counted in the kernel's memory.
    Two heaps (what ``MALLOC_ARENA_MAX=2`` sets) lowered notebook 07's peak by about
    90 MB (issue 17: a student's kernel should stay within 1 GiB). Elsewhere (macOS,
    Windows, musl) this does nothing; an explicit ``MALLOC_ARENA_MAX`` wins.
    """
    if os.environ.get("MALLOC_ARENA_MAX") or not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").mallopt(_M_ARENA_MAX, arenas)
    except (OSError, AttributeError):  # not glibc
        pass


def import_keras():
    """``import keras`` (Keras 3 on TensorFlow), with no C++ log lines and no progress bars.

    Notebooks call ``keras = cnnlab.import_keras()`` instead of ``import keras`` so that
    TensorFlow's noise never reaches their stored outputs; with interactive logging off,
    ``model.fit`` prints nothing and ``model.summary()`` needs ``print_fn=print``.

    Returns
    -------
    module
        The ``keras`` module.

    Examples
    --------
    >>> keras = import_keras()
    >>> keras.config.is_interactive_logging_enabled()
    False
    """
    import_tensorflow()
    import keras

    keras.config.disable_interactive_logging()
    return keras
