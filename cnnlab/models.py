"""Keras model helpers for notebooks 06-07: build, compile, train, explain, cut, look inside.

TensorFlow is imported lazily, through :func:`cnnlab.import_keras`, when a function here is
first called; ``import cnnlab.models`` alone stays light.

- Build: :func:`simple_cnn` (Rescaling → conv → pool → conv → pool → flatten → dense) and
  :func:`dense_classifier` (the comparison), both compiled by :func:`compile_classifier`,
  the one compile step of every classifier in the course.
- Train: :func:`train` — seeded, silent ``model.fit``.
- Explain: :func:`summary_table` — every layer's output shape *with the formula of
  notebook 03 that produced it* and its parameter count, also written out as a formula.
- Cut: :func:`split` — (frozen part, trainable rest), for fine-tuning.
- Look inside: :func:`feature_layers`, :func:`feature_maps` (one image's activations) and
  :func:`first_layer_filters` (the learned kernels); :mod:`cnnlab.figures` draws them.

Note: with Keras' interactive logging off (as cnnlab sets it, for quiet notebooks)
``model.summary()`` writes to the log, not the notebook; print :func:`summary_table`, or
call ``model.summary(print_fn=print)``.

Examples
--------
>>> model = simple_cnn((28, 28, 1), 10)
>>> model.output_shape
(None, 10)
>>> summary_table(model).rows[1].formula        # the first convolution, padding "same"
'floor((28 + 1 + 1 − 3) / 1) + 1 = 28; channels = filters = 16'
>>> feature_layers(model)
['conv1', 'pool1', 'conv2', 'pool2']
"""

from __future__ import annotations

import contextlib
import numbers
from dataclasses import dataclass

import numpy as np

from cnnlab import ops
from cnnlab._tf import import_keras
from cnnlab._validate import choice, int_pair, keras_model, numeric_array, positive_int

__all__ = ["simple_cnn", "augmented_examples", "dense_classifier", "compile_classifier", "train",
           "summary_table", "SummaryTable", "LayerRow", "split", "feature_layers", "feature_maps",
           "first_layer_filters", "find_layer"]


def _input_shape(input_shape) -> tuple[int, ...]:
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) not in (2, 3):
        raise ValueError(
            "input_shape must be (height, width) or (height, width, channels), e.g. "
            f"(28, 28, 1), got {input_shape!r}"
        )
    shape = tuple(positive_int("input_shape entries", n) for n in input_shape)
    return shape if len(shape) == 3 else (*shape, 1)


def compile_classifier(model, *, learning_rate: float = 1e-3):
    """Compile ``model`` as every classifier of the course is: Adam, sparse cross-entropy.

    The loss takes integer labels (0, 1, 2, …) and the model's softmax probabilities;
    ``accuracy`` is recorded in the training history.

    Parameters
    ----------
    model : keras.Model
        Ending in a softmax over the classes.
    learning_rate : float
        Adam's learning rate (Keras' default: 1e-3).

    Returns
    -------
    keras.Model
        ``model`` itself, compiled.

    Examples
    --------
    >>> keras = import_keras()
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, "softmax")])
    >>> compile_classifier(model, learning_rate=0.01).loss
    'sparse_categorical_crossentropy'
    """
    keras = import_keras()
    keras_model("model", model)
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real):
        raise TypeError(f"learning_rate must be a number > 0, got {learning_rate!r}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be a number > 0, got {learning_rate!r}")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


#: The largest random move of :func:`simple_cnn`'s augmentation, as a fraction of the
#: image's height and width (Keras' ``RandomTranslation`` factors): 0.1 of 28 pixels is
#: up to 2.8 pixels, the size of the shift test's moves.
AUGMENT_SHIFT = 0.1


def simple_cnn(input_shape, num_classes: int, *, filters=(16, 32), kernel_size=3,
               padding: str = "same", pool_size=2, hidden_units: int | None = 64,
               dropout: float = 0.4, learning_rate: float = 2e-3, seed: int = 0,
               head: str = "flatten", augmentation: bool = False):
    """A small compiled CNN: Rescaling(1/255) → conv → pool → conv → pool → flatten → dense.

    The defaults reach about 0.88-0.89 test accuracy on the bundled Fashion-MNIST subset
    after 10 epochs (``benchmarks/classification.py``).

    The model takes raw 0-255 pixels: rescaling is its first layer, so the same model
    works on ``load_fashion_mnist()`` arrays and on ``image_folder`` datasets alike.

    Parameters
    ----------
    input_shape : (height, width) or (height, width, channels)
        E.g. ``(28, 28, 1)`` for Fashion-MNIST or ``(96, 96, 3)`` for colour photos.
    num_classes : int
        Number of classes (>= 2). The output is always a softmax over ``num_classes``
        probabilities, trained with sparse categorical cross-entropy on integer labels,
        also for two classes (equivalent to one sigmoid unit, and one code path to teach).
    filters : pair of int
        Number of filters of the two convolutions (Keras ``Conv2D(filters, ...)``).
    kernel_size : int or pair
        Kernel size of both convolutions (stride 1).
    padding : {"same", "valid"}
        Padding of both convolutions (notebook 03): "same" keeps the size, so only the
        pooling layers halve it.
    pool_size : int or pair
        Window (and stride) of both max-pooling layers. Keras' name: a model has two
        windows, so each is named by its layer (:func:`cnnlab.ops.pool2d` calls the one
        window it has ``size``).
    hidden_units : int or None
        Width of a ReLU dense layer between flatten and the output layer; None: none,
        flatten feeds the output layer directly.
    dropout : float
        Fraction of the flattened features dropped at random while training (a
        ``Dropout`` layer after flatten; 0: no such layer). Fights overfitting on small
        training sets.
    learning_rate : float
        Adam's learning rate.
    seed : int
        Seeds the weight initialisation (``keras.utils.set_random_seed``) and the
        augmentation layers, so the same arguments always build the same model.
    head : {"flatten", "global_average"}
        How the last feature maps become one vector for the dense layers. "flatten": every
        number keeps its place, so each dense weight belongs to one position of the map
        (``Flatten``, layer "flatten"). "global_average": one number per channel, its
        mean over all positions, wherever the pattern was found
        (``GlobalAveragePooling2D``, layer "average").
    augmentation : bool
        Add random changes of the training images as the model's first layers:
        ``RandomTranslation`` by up to :data:`AUGMENT_SHIFT` of the height and width
        (the uncovered border filled with 0, the background of Fashion-MNIST; layer
        "shift") and ``RandomFlip("horizontal")`` (layer "flip"). Keras applies them only
        while training (``fit``); ``predict`` and ``evaluate`` see the images unchanged.

    Returns
    -------
    keras.Model
        A compiled ``keras.Sequential`` with layers named ``(shift, flip,) rescale, conv1,
        pool1, conv2, pool2, flatten or average, (dropout,) (hidden,) output``.

    Examples
    --------
    >>> model = simple_cnn((28, 28, 1), 10)
    >>> [layer.name for layer in model.layers]
    ['rescale', 'conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'dropout', 'hidden', 'output']
    >>> model.get_layer("pool2").output.shape
    (None, 7, 7, 32)
    >>> small = simple_cnn((28, 28, 1), 10, padding="valid", dropout=0, hidden_units=None)
    >>> [layer.name for layer in small.layers][-3:], small.get_layer("pool2").output.shape
    (['pool2', 'flatten', 'output'], (None, 5, 5, 32))
    >>> robust = simple_cnn((28, 28, 1), 10, head="global_average", augmentation=True)
    >>> [layer.name for layer in robust.layers][:2], robust.get_layer("average").output.shape
    (['shift', 'flip'], (None, 32))
    """
    keras = import_keras()
    shape = _input_shape(input_shape)
    num_classes = positive_int("num_classes", num_classes, minimum=2)
    if not isinstance(filters, (tuple, list)) or len(filters) != 2:
        raise ValueError(f"filters must be a pair (first conv, second conv), got {filters!r}")
    f1, f2 = (positive_int("filters", f) for f in filters)
    kernel = int_pair("kernel_size", kernel_size)
    pool = int_pair("pool_size", pool_size)
    choice("padding", padding, ("same", "valid"))
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or \
            not 0 <= dropout < 1:
        raise ValueError(f"dropout must be a fraction in [0, 1), got {dropout!r}")
    choice("head", head, ("flatten", "global_average"))
    if not isinstance(augmentation, bool):
        raise TypeError(f"augmentation must be True or False, got {augmentation!r}")
    layers = keras.layers
    keras.utils.set_random_seed(positive_int("seed", seed, minimum=0))
    stack = [keras.Input(shape=shape, name="pixels")]
    if augmentation:
        stack += [layers.RandomTranslation(AUGMENT_SHIFT, AUGMENT_SHIFT, fill_mode="constant",
                                           fill_value=0.0, seed=seed, name="shift"),
                  layers.RandomFlip("horizontal", seed=seed, name="flip")]
    stack += [
        layers.Rescaling(1 / 255, name="rescale"),
        layers.Conv2D(f1, kernel, padding=padding, activation="relu", name="conv1"),
        layers.MaxPooling2D(pool, name="pool1"),
        layers.Conv2D(f2, kernel, padding=padding, activation="relu", name="conv2"),
        layers.MaxPooling2D(pool, name="pool2"),
        layers.Flatten(name="flatten") if head == "flatten"
        else layers.GlobalAveragePooling2D(name="average"),
    ]
    if dropout:
        stack.append(layers.Dropout(dropout, seed=seed, name="dropout"))
    if hidden_units is not None:
        stack.append(layers.Dense(positive_int("hidden_units", hidden_units),
                                  activation="relu", name="hidden"))
    stack.append(layers.Dense(num_classes, activation="softmax", name="output"))
    return compile_classifier(keras.Sequential(stack, name="simple_cnn"),
                              learning_rate=learning_rate)


def augmented_examples(model, image, count: int = 6, *, seed: int = 0) -> np.ndarray:
    """``count`` versions of ``image`` as the augmentation layers of ``model`` change it.

    What :func:`simple_cnn` with ``augmentation=True`` shows the network while training:
    the model's ``RandomTranslation`` and ``RandomFlip`` layers applied with
    ``training=True`` (they leave images unchanged otherwise).

    Parameters
    ----------
    model : keras.Model
        With augmentation layers at its start, e.g. ``simple_cnn(..., augmentation=True)``.
    image : array_like
        One image as the model takes it, ``(H, W, C)`` (or ``(H, W)`` for one channel).
    count : int
        How many random versions.
    seed : int
        Seeds the random moves and flips, so the same call gives the same pictures.

    Returns
    -------
    ndarray
        ``(count, H, W, C)`` float32, in the image's value range.

    Examples
    --------
    >>> model = simple_cnn((8, 8, 1), 2, augmentation=True)
    >>> augmented_examples(model, np.eye(8) * 255, count=3).shape
    (3, 8, 8, 1)
    """
    keras = import_keras()
    keras_model("model", model)
    count = positive_int("count", count)
    random_layers = (keras.layers.RandomTranslation, keras.layers.RandomFlip)
    augmenting = []
    for layer in model.layers:
        if not isinstance(layer, random_layers):
            break
        augmenting.append(layer)
    if not augmenting:
        raise ValueError(f"model {model.name!r} has no augmentation layers at its start "
                         "(build it with simple_cnn(..., augmentation=True))")
    seed = positive_int("seed", seed, minimum=0)
    batch = np.repeat(_one_image(model, image), count, axis=0)
    for layer in augmenting:
        # A fresh copy with its own seed: the model's layer carries a random state that
        # every call advances, so calling it would give new pictures each time.
        fresh = type(layer).from_config({**layer.get_config(), "seed": seed})
        batch = fresh(batch, training=True)
    return np.asarray(batch)


def dense_classifier(input_shape, num_classes: int, *, hidden_units: int = 128,
                     learning_rate: float = 1e-3, seed: int = 0):
    """A compiled dense-only network: Rescaling(1/255) → flatten → dense(ReLU) → dense.

    The comparison for :func:`simple_cnn`: every pixel is wired to every hidden unit, so
    it has many more parameters and no notion of "the same pattern somewhere else".
    Arguments as in :func:`simple_cnn`.

    Examples
    --------
    >>> model = dense_classifier((28, 28, 1), 10)
    >>> model.count_params()                # (784 + 1)·128 + (128 + 1)·10
    101770
    """
    keras = import_keras()
    shape = _input_shape(input_shape)
    num_classes = positive_int("num_classes", num_classes, minimum=2)
    layers = keras.layers
    keras.utils.set_random_seed(positive_int("seed", seed, minimum=0))
    model = keras.Sequential([
        keras.Input(shape=shape, name="pixels"),
        layers.Rescaling(1 / 255, name="rescale"),
        layers.Flatten(name="flatten"),
        layers.Dense(positive_int("hidden_units", hidden_units), activation="relu",
                     name="hidden"),
        layers.Dense(num_classes, activation="softmax", name="output"),
    ], name="dense_classifier")
    return compile_classifier(model, learning_rate=learning_rate)


def train(model, x, y=None, *, epochs: int, batch_size: int = 64, validation_data=None,
          seed: int = 0):
    """Fit ``model`` quietly and reproducibly; returns Keras' ``History``.

    Parameters
    ----------
    model : keras.Model
        A compiled model (e.g. from :func:`simple_cnn`).
    x, y : arrays, or a ``tf.data.Dataset`` of (images, labels) as ``x`` with ``y=None``
        Training data (e.g. from :func:`cnnlab.datasets.image_folder`).
    epochs : int
        Passes over the training data.
    batch_size : int
        Images per gradient step (ignored for datasets, which are already batched).
    validation_data : (x_val, y_val) or dataset, optional
        Evaluated after every epoch; appears as ``val_loss``/``val_accuracy`` in the history.
    seed : int
        ``keras.utils.set_random_seed(seed)`` before fitting: the shuffling and dropout
        are the same on every run.

    Returns
    -------
    keras.callbacks.History
        ``history.history`` maps ``"loss"``, ``"accuracy"`` (and ``"val_..."``) to one
        value per epoch.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).integers(0, 256, (32, 28, 28, 1), dtype=np.uint8)
    >>> y = np.arange(32) % 2
    >>> history = train(simple_cnn((28, 28, 1), 2), x, y, epochs=2)
    >>> len(history.history["loss"])
    2
    """
    keras = import_keras()
    epochs = positive_int("epochs", epochs)
    batch_size = positive_int("batch_size", batch_size)
    keras.utils.set_random_seed(positive_int("seed", seed, minimum=0))
    is_dataset = y is None
    return model.fit(x, y, epochs=epochs, batch_size=None if is_dataset else batch_size,
                     validation_data=validation_data, verbose=0,
                     shuffle=not is_dataset)


# ---------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class LayerRow:
    """One row of :func:`summary_table`."""

    name: str
    kind: str
    output_shape: tuple
    formula: str
    params: int
    params_formula: str


class SummaryTable:
    """The rows of :func:`summary_table`; prints as an aligned text table."""

    def __init__(self, rows: list[LayerRow]):
        self.rows = rows

    @property
    def total_params(self) -> int:
        return sum(row.params for row in self.rows)

    def __str__(self) -> str:
        header = ("layer", "output shape", "how the shape arises", "parameters")
        lines = [(f"{r.name} ({r.kind})", str(r.output_shape), r.formula,
                  r.params_formula if r.params else "0") for r in self.rows]
        widths = [max(len(row[i]) for row in [header, *lines]) for i in range(3)]
        out = []
        for row in [header, *lines]:
            cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
            out.append("  ".join([*cells, row[3]]))
        out.insert(1, "-" * len(max(out, key=len)))
        out.append(f"total parameters: {self.total_params:,}")
        if any(OUTPUT_SIZE_FORMULA_ROWS & {row.kind} for row in self.rows):
            out[-1] += f"    (conv/pool sizes: {ops.OUTPUT_SIZE_FORMULA})"
        return "\n".join(out)

    __repr__ = __str__


#: The kinds of layer whose row fills in :data:`cnnlab.ops.OUTPUT_SIZE_FORMULA`.
OUTPUT_SIZE_FORMULA_ROWS = {"Conv2D", "MaxPooling2D", "AveragePooling2D"}


def _spatial(height: int, width: int, *, kernel, stride, padding, dilation=(1, 1)):
    """Output rows and columns, and the numbers of the formula (once if both axes agree)."""
    sizes, texts = [], []
    for axis, n in enumerate((height, width)):
        options = dict(stride=stride[axis], padding=padding, dilation=dilation[axis])
        sizes.append(ops.output_size(n, kernel[axis], **options))
        texts.append(ops.explain_output_size(n, kernel[axis], symbols=False, **options))
    text = texts[0] if texts[0] == texts[1] else f"rows: {texts[0]}; columns: {texts[1]}"
    return sizes, text


def _row(layer, in_shape: tuple) -> LayerRow:
    """Output shape and parameters of one layer, computed from its configuration."""
    keras = import_keras()
    layers = keras.layers
    kind = type(layer).__name__
    if isinstance(layer, layers.Conv2D):
        (h, w), text = _spatial(in_shape[1], in_shape[2], kernel=layer.kernel_size,
                                stride=layer.strides, padding=layer.padding,
                                dilation=layer.dilation_rate)
        kh, kw = layer.kernel_size
        channels, filters = in_shape[3], layer.filters
        bias = 1 if layer.use_bias else 0
        params = (kh * kw * channels + bias) * filters
        bias_text = " + 1" if bias else ""
        params_text = f"({kh}·{kw}·{channels}{bias_text})·{filters} = {params:,}"
        return LayerRow(layer.name, kind, (None, h, w, filters),
                        f"{text}; channels = filters = {filters}", params, params_text)
    if isinstance(layer, (layers.MaxPooling2D, layers.AveragePooling2D)):
        (h, w), text = _spatial(in_shape[1], in_shape[2], kernel=layer.pool_size,
                                stride=layer.strides, padding=layer.padding)
        return LayerRow(layer.name, kind, (None, h, w, in_shape[3]),
                        f"{text}; channels unchanged", 0, "0")
    if isinstance(layer, layers.Flatten):
        size = 1
        for n in in_shape[1:]:
            size *= n
        factors = " · ".join(str(n) for n in in_shape[1:])
        return LayerRow(layer.name, kind, (None, size), f"{factors} = {size:,}", 0, "0")
    if isinstance(layer, (layers.GlobalAveragePooling2D, layers.GlobalMaxPooling2D)) and \
            not layer.keepdims:
        what = "mean" if isinstance(layer, layers.GlobalAveragePooling2D) else "maximum"
        return LayerRow(layer.name, kind, (None, in_shape[3]),
                        f"one {what} per channel over {in_shape[1]}×{in_shape[2]} positions "
                        f"= {in_shape[3]}", 0, "0")
    if isinstance(layer, layers.Dense):
        inputs, units = in_shape[-1], layer.units
        bias = 1 if layer.use_bias else 0
        params = (inputs + bias) * units
        bias_text = " + 1" if bias else ""
        return LayerRow(layer.name, kind, (*in_shape[:-1], units), f"units = {units}",
                        params, f"({inputs:,}{bias_text})·{units} = {params:,}")
    # Shape-preserving layers (Rescaling, Dropout, activations, ...) and anything else:
    # shown with Keras' own numbers, not derived.
    return LayerRow(layer.name, kind, tuple(layer.output.shape),
                    "unchanged" if tuple(layer.output.shape) == in_shape else "(from Keras)",
                    layer.count_params(), f"{layer.count_params():,}")


def summary_table(model) -> SummaryTable:
    """Each layer's output shape, the formula that produced it, and its parameter count.

    Shapes of convolution and pooling layers come from :func:`cnnlab.ops.output_size`
    (written out by :func:`cnnlab.ops.explain_output_size`), flatten sizes and dense
    parameter counts from their formulas — not from Keras — so the table *explains*
    ``model.summary()`` and the tests can check it against Keras.

    Parameters
    ----------
    model : keras.Sequential
        A built model (its input shape known), e.g. from :func:`simple_cnn`.

    Returns
    -------
    SummaryTable
        ``.rows`` (one :class:`LayerRow` per layer), ``.total_params``; ``print`` it for
        a text table.

    Examples
    --------
    >>> table = summary_table(simple_cnn((28, 28, 1), 10, hidden_units=None, dropout=0))
    >>> [(row.name, row.output_shape, row.params) for row in table.rows[-3:]]
    [('pool2', (None, 7, 7, 32), 0), ('flatten', (None, 1568), 0), ('output', (None, 10), 15690)]
    >>> table.rows[-1].params_formula
    '(1,568 + 1)·10 = 15,690'
    """
    keras_model("model", model)
    try:
        shape = tuple(model.inputs[0].shape)
    except (AttributeError, ValueError, IndexError):
        raise ValueError(
            "model must be built with a known input shape (start it with keras.Input(...))"
        ) from None
    rows = []
    for layer in model.layers:
        row = _row(layer, shape)
        rows.append(row)
        shape = row.output_shape
    return SummaryTable(rows)


# ---------------------------------------------------------------------------- surgery


def split(model, first_trainable: str):
    """Cut ``model`` into (frozen part, trainable rest) at the layer ``first_trainable``.

    Fine-tuning trains only the last layers. Their input, the output of the frozen part,
    can be computed once and reused in every epoch, which makes fine-tuning on a CPU fast.
    ``rest(frozen(x))`` equals ``model(x)``.

    Parameters
    ----------
    model : keras.Model
        A functional model, e.g. :func:`cnnlab.pretrained.load_backbone`.
    first_trainable : str
        Name of the first layer of the rest (see ``model.summary()``).

    Returns
    -------
    (keras.Model, keras.Model)
        The layers before ``first_trainable``, and ``first_trainable`` with all after it.

    Examples
    --------
    >>> from cnnlab import pretrained
    >>> frozen, rest = split(pretrained.load_backbone(weights=None), "block7a_expand_conv")
    >>> rest.input.shape
    (None, None, None, 192)
    """
    keras = import_keras()
    keras_model("model", model)
    names = [layer.name for layer in model.layers]
    if first_trainable not in names:
        raise ValueError(
            f"first_trainable must name a layer of {model.name!r}, got {first_trainable!r} "
            f"(e.g. {names[-min(10, len(names))]!r}; see model.summary())"
        )
    if first_trainable == names[0]:
        raise ValueError(f"first_trainable must come after the input layer {names[0]!r}")
    boundary = model.get_layer(first_trainable).input
    frozen = keras.Model(model.inputs[0], boundary, name=f"{model.name}_frozen")
    try:
        rest = keras.Model(boundary, model.outputs[0], name=f"{model.name}_rest")
    except ValueError:
        raise ValueError(
            f"cannot split {model.name!r} at {first_trainable!r}: a shortcut connection "
            "crosses that point, so the layers after it also need earlier outputs. Split at "
            "the first layer of a block instead, e.g. 'block7a_expand_conv'"
        ) from None
    return frozen, rest


# ---------------------------------------------------------------------- look inside


def first_layer_filters(model) -> np.ndarray:
    """The kernels of the model's first ``Conv2D`` layer, Keras layout (kh, kw, C, F).

    Examples
    --------
    >>> first_layer_filters(simple_cnn((28, 28, 1), 10)).shape
    (3, 3, 1, 16)
    """
    keras_model("model", model)
    conv = import_keras().layers.Conv2D
    for layer in model.layers:
        if isinstance(layer, conv):
            return np.asarray(layer.get_weights()[0])
    raise ValueError(f"model {model.name!r} has no Conv2D layer")


def feature_layers(model) -> list[str]:
    """Names of the model's convolution and pooling layers, in order.

    These are the layers whose outputs are feature maps (height × width × channels); the
    default of :func:`feature_maps`. The layers of a model nested inside ``model`` (e.g.
    the backbone of a transfer model) are named by their path, ``"backbone/conv1"``, which
    :func:`find_layer` understands.

    Examples
    --------
    >>> feature_layers(dense_classifier((28, 28, 1), 10))
    []
    >>> keras = import_keras()
    >>> backbone = simple_cnn((28, 28, 1), 10, hidden_units=None, dropout=0)
    >>> outer = keras.Sequential([keras.Input((28, 28, 1)), backbone])
    >>> feature_layers(outer)
    ['simple_cnn/conv1', 'simple_cnn/pool1', 'simple_cnn/conv2', 'simple_cnn/pool2']
    """
    keras_model("model", model)
    return [path for path, layer in _walk_layers(model) if isinstance(layer, _map_kinds())]


def _map_kinds() -> tuple:
    """The layer classes whose outputs are feature maps: 2-D convolutions and pooling."""
    layers = import_keras().layers
    return (layers.Conv2D, layers.DepthwiseConv2D, layers.SeparableConv2D,
            layers.Conv2DTranspose, layers.MaxPooling2D, layers.AveragePooling2D)


def _walk_layers(model, prefix: str = ""):
    """(path, layer) for every layer of ``model``, depth first into nested models.

    A nested model itself is not listed, only its layers (Keras forbids "/" in layer
    names, so a path is unambiguous).
    """
    for layer in model.layers:
        path = f"{prefix}{layer.name}"
        if hasattr(layer, "layers") and hasattr(layer, "inputs"):
            yield from _walk_layers(layer, f"{path}/")
        else:
            yield path, layer


def find_layer(model, name: str):
    """The layer called ``name`` in ``model`` or in a model nested inside it.

    Parameters
    ----------
    model : keras.Model
    name : str
        A layer's name (found at any depth when it is unique) or its path through the
        nested models, ``"backbone/top_conv"``, as :func:`feature_layers` writes it.

    Returns
    -------
    keras.layers.Layer

    Examples
    --------
    >>> model = simple_cnn((28, 28, 1), 10)
    >>> find_layer(model, "conv2").filters
    32
    >>> find_layer(model, "conv9")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: layer must name a layer of 'simple_cnn', got 'conv9' (e.g. 'conv1', ...)
    """
    keras_model("model", model)
    if not isinstance(name, str):
        raise TypeError(f"layer must be a layer's name (str), got {type(name).__name__}")
    for layer in model.layers:          # a layer of the model itself, nested model or not
        if layer.name == name:
            return layer
    found = [layer for path, layer in _walk_layers(model)
             if path == name or path.rsplit("/", 1)[-1] == name]
    if len(found) == 1:
        return found[0]
    if found:
        paths = [path for path, layer in _walk_layers(model) if layer in found]
        raise ValueError(f"layer {name!r} is ambiguous in {model.name!r}: write its path, "
                         f"one of {', '.join(map(repr, paths))}")
    names = feature_layers(model) or [path for path, _ in _walk_layers(model)]
    examples = ", ".join(map(repr, names[-4:]))
    raise ValueError(f"layer must name a layer of {model.name!r}, got {name!r} "
                     f"(e.g. {examples}; see model.summary())")


@contextlib.contextmanager
def _recording(layers):
    """While inside, each of ``layers`` stores its latest output in the yielded dict.

    A model nested in another is a single step of the outer model's graph, so a layer
    inside it has no output tensor that a probe ``keras.Model`` on the outer model could
    return. Wrapping the layer's ``call`` records the tensor while the model runs (under
    a ``tf.GradientTape`` too, which is what Grad-CAM needs); the wrapper is removed
    afterwards, leaving the model as it was.
    """
    outputs = {}

    def recorder(layer, call):
        def recorded(*args, **kwargs):
            outputs[id(layer)] = result = call(*args, **kwargs)
            return result
        return recorded

    wrapped = []
    try:
        for layer in layers:
            if "call" in vars(layer):
                raise ValueError(f"layer {layer.name!r} is already being recorded")
            layer.call = recorder(layer, layer.call)
            wrapped.append(layer)
        yield outputs
    finally:
        for layer in wrapped:
            del layer.call


def _one_image(model, image) -> np.ndarray:
    """``image`` as a float32 batch of one, checked against the model's input shape."""
    array = numeric_array("image", image)
    expected = tuple(model.inputs[0].shape[1:])          # None: any size along that axis
    given = array.shape
    if array.ndim == len(expected) - 1 and expected[-1] == 1:
        array = array[..., None]                        # (H, W) grayscale → (H, W, 1)
    if array.ndim != len(expected) or any(
            want is not None and want != have for want, have in zip(expected, array.shape,
                                                                    strict=True)):
        one_channel = f" (or {expected[:2]} for one channel)" if expected[-1] == 1 else ""
        raise ValueError(f"image must have the model's input shape {expected}{one_channel}, "
                         f"got shape {given}")
    return array[None].astype(np.float32)


def feature_maps(model, image, layer_names=None) -> dict[str, np.ndarray]:
    """One image's activations at the layers ``layer_names`` (by default every conv/pool).

    The image goes through the model's own layers only: whatever the model does first
    (e.g. :func:`simple_cnn`'s rescaling) happens, nothing else. A backbone of
    :mod:`cnnlab.pretrained` takes images prepared by :func:`cnnlab.pretrained.preprocess`.

    Parameters
    ----------
    model : keras.Model
        Built with ``keras.Input`` (e.g. :func:`simple_cnn`).
    image : array_like
        One image as the model takes it, ``(H, W, C)``; ``(H, W)`` for one-channel
        models. Raw 0-255 pixels for :func:`simple_cnn`.
    layer_names : list of str, optional
        Layers of ``model`` (see ``model.summary()``), also of a model nested inside it
        (by name or path, see :func:`find_layer`); default :func:`feature_layers`.

    Returns
    -------
    dict
        Layer name → float32 array (h, w, channels), in the order of ``layer_names``.

    Examples
    --------
    >>> maps = feature_maps(simple_cnn((28, 28, 1), 10), np.zeros((28, 28)))
    >>> {name: m.shape for name, m in maps.items()}
    {'conv1': (28, 28, 16), 'pool1': (14, 14, 16), 'conv2': (14, 14, 32), 'pool2': (7, 7, 32)}
    """
    keras_model("model", model)
    batch = _one_image(model, image)
    if layer_names is None:
        layer_names = feature_layers(model)
        if not layer_names:
            raise ValueError(f"model {model.name!r} has no convolution or pooling layer; "
                             "name the layers with layer_names")
    if isinstance(layer_names, str):
        raise TypeError(f"layer_names must be a list of layer names, got the string "
                        f"{layer_names!r} (write [{layer_names!r}])")
    layer_names = list(layer_names)
    known = {layer.name for layer in model.layers}
    for path, _ in _walk_layers(model):                 # nested layers: path or own name
        known.update((path, path.rsplit("/", 1)[-1]))
    unknown = [name for name in layer_names if name not in known]
    if unknown or not layer_names:
        raise ValueError(f"layer_names must name layers of {model.name!r}, got "
                         f"{layer_names!r} (unknown: {unknown}; see model.summary())")
    chosen = [find_layer(model, name) for name in layer_names]
    with _recording(dict.fromkeys(chosen)) as outputs:
        model(batch, training=False)
    return {name: np.asarray(outputs[id(layer)])[0]
            for name, layer in zip(layer_names, chosen, strict=True)}
