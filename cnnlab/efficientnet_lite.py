"""EfficientNet-Lite0 (Tan & Le, 2019; the "Lite" variant for phones) built in Keras.

A MobileNet-style network: a 3×3 stem convolution, 16 inverted-residual ("MBConv")
blocks in 7 stages and a 1×1 head convolution, 4.69 million weights in all. The Lite
variant drops squeeze-and-excitation, uses ReLU6 instead of swish and keeps the stem and
head the same width for every model size. Every convolution pads like TensorFlow's
``padding="same"`` (for stride 2: the extra row/column goes after, at the bottom/right),
which is what the ImageNet weights shipped in ``data/`` were trained with.

Layer names follow ``keras.applications.EfficientNetB0`` (``stem_conv``, ``block1a_dwconv``,
``block2a_expand_conv``, ``block2b_add``, ``top_conv``, ``predictions``), so a student can
read the two side by side. Load the ImageNet weights with :func:`cnnlab.pretrained.load_backbone`.

Examples
--------
>>> from cnnlab.efficientnet_lite import efficientnet_lite0, STAGES
>>> model = efficientnet_lite0()
>>> model.count_params()
4694024
>>> sum(stage.repeats for stage in STAGES)
16
"""

from __future__ import annotations

from typing import NamedTuple

from ._tf import import_keras

__all__ = ["Stage", "STAGES", "efficientnet_lite0", "block_names"]

#: BatchNorm's epsilon in the TensorFlow original (Keras' default is 1e-3 as well).
BN_EPSILON = 1e-3
NUM_CLASSES = 1000


class Stage(NamedTuple):
    """One stage of MBConv blocks: ``repeats`` blocks, the first with ``stride``."""

    repeats: int
    kernel_size: int
    stride: int
    expand_ratio: int
    filters_in: int
    filters_out: int


#: The seven stages of EfficientNet-Lite0 (``efficientnet_lite_builder.py`` of the original).
STAGES = (
    Stage(1, 3, 1, 1, 32, 16),
    Stage(2, 3, 2, 6, 16, 24),
    Stage(2, 5, 2, 6, 24, 40),
    Stage(3, 3, 2, 6, 40, 80),
    Stage(3, 5, 1, 6, 80, 112),
    Stage(4, 5, 2, 6, 112, 192),
    Stage(1, 3, 1, 6, 192, 320),
)


def block_names() -> list[str]:
    """The 16 block prefixes in order: ``block1a``, ``block2a``, ``block2b``, …, ``block7a``.

    >>> block_names()[:4], block_names()[-1]
    (['block1a', 'block2a', 'block2b', 'block3a'], 'block7a')
    """
    return [f"block{number}{'abcd'[index]}"
            for number, stage in enumerate(STAGES, start=1)
            for index in range(stage.repeats)]


def _mbconv(keras, inputs, stage: Stage, stride: int, filters_in: int, prefix: str):
    """An inverted-residual block: expand 1×1 → depthwise k×k → project 1×1 (+ skip)."""
    layers = keras.layers
    x = inputs
    expanded = filters_in * stage.expand_ratio
    if stage.expand_ratio != 1:
        x = layers.Conv2D(expanded, 1, padding="same", use_bias=False,
                          name=f"{prefix}_expand_conv")(x)
        x = layers.BatchNormalization(epsilon=BN_EPSILON, name=f"{prefix}_expand_bn")(x)
        x = layers.ReLU(6.0, name=f"{prefix}_expand_activation")(x)
    x = layers.DepthwiseConv2D(stage.kernel_size, strides=stride, padding="same",
                               use_bias=False, name=f"{prefix}_dwconv")(x)
    x = layers.BatchNormalization(epsilon=BN_EPSILON, name=f"{prefix}_bn")(x)
    x = layers.ReLU(6.0, name=f"{prefix}_activation")(x)
    x = layers.Conv2D(stage.filters_out, 1, padding="same", use_bias=False,
                      name=f"{prefix}_project_conv")(x)
    x = layers.BatchNormalization(epsilon=BN_EPSILON, name=f"{prefix}_project_bn")(x)
    if stride == 1 and filters_in == stage.filters_out:
        x = layers.Add(name=f"{prefix}_add")([x, inputs])
    return x


def efficientnet_lite0(*, include_top: bool = True, input_shape=(None, None, 3),
                       dropout: float = 0.2, name: str = "efficientnet_lite0"):
    """The EfficientNet-Lite0 architecture with freshly initialised weights.

    Parameters
    ----------
    include_top : bool
        With the ImageNet classifier (global average pooling, dropout, a 1000-way Dense
        layer giving logits) or without: then the output is the (H/32, W/32, 1280) feature
        map of ``top_activation``.
    input_shape : tuple
        (height, width, 3) of the preprocessed images (see
        :func:`cnnlab.pretrained.preprocess`); ``None`` sizes accept any image size.
        The weights were trained at 224×224.
    dropout : float
        Dropout rate before the classifier (only active in training).
    name : str
        The model's name.

    Returns
    -------
    keras.Model
        Not compiled.
    """
    keras = import_keras()
    layers = keras.layers
    inputs = keras.Input(shape=tuple(input_shape), name="image")
    x = layers.Conv2D(32, 3, strides=2, padding="same", use_bias=False, name="stem_conv")(inputs)
    x = layers.BatchNormalization(epsilon=BN_EPSILON, name="stem_bn")(x)
    x = layers.ReLU(6.0, name="stem_activation")(x)
    names = iter(block_names())
    for stage in STAGES:
        for index in range(stage.repeats):
            first = index == 0
            x = _mbconv(keras, x, stage, stage.stride if first else 1,
                        stage.filters_in if first else stage.filters_out, next(names))
    x = layers.Conv2D(1280, 1, padding="same", use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(epsilon=BN_EPSILON, name="top_bn")(x)
    x = layers.ReLU(6.0, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dropout(dropout, name="top_dropout")(x)
        x = layers.Dense(NUM_CLASSES, name="predictions")(x)
    return keras.Model(inputs, x, name=name)
