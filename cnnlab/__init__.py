"""cnnlab — the helper package of an interactive course on convolutional neural networks.

``import cnnlab`` is light: it never imports TensorFlow. The modules that need Keras
(``cnnlab.models``, ``cnnlab.pretrained``, ``cnnlab.inspect``) import it lazily through
:func:`cnnlab._tf.tensorflow`.

>>> import cnnlab
>>> from cnnlab import ops
>>> ops.output_size(5, 3)
3
"""

__version__ = "0.1.0"


def __getattr__(name):
    # cnnlab.lecture_mode, imported on first use so that `import cnnlab` stays light
    if name == "lecture_mode":
        from .lecture import lecture_mode

        return lecture_mode
    raise AttributeError(f"module 'cnnlab' has no attribute {name!r}")


def load_keras():
    """Keras 3 on TensorFlow, imported quietly (no C++ log lines, no progress bars).

    Notebooks call this instead of ``import keras`` so that TensorFlow's noise never
    reaches their stored outputs.
    """
    from ._tf import keras

    return keras()
