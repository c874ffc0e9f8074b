"""Exercises of notebook 01 — RGB channels.

Every number asked for here appears nowhere above the exercises in the notebook
(``tools/check_notebooks.py`` checks it).

>>> from cnnlab.exercises import rgb_channels as ex
>>> ex.gray_pixel.check(None)
✎ Your turn: replace None with your answer, then run this cell.
>>> ex.gray_pixel.check(124)
✓ Correct! 0.299·200 + 0.587·100 + 0.114·50 = 124.2: green counts most.
>>> ex.to_bgr.check(lambda image: image)
✗ Not quite: That is the photo unchanged: red is still first.
>>> ex.to_bgr.feedback(ex.images.sample("cat")[..., ::-1])
(True, '')
"""

import numpy as np

from .. import images
from . import ChoiceQuestion, CodeQuestion, NumberQuestion

__all__ = ["red_off", "gray_pixel", "to_bgr", "small_dense", "shifted_cat", "TEST_IMAGE"]

red_off = ChoiceQuestion(
    "Predict: in the explorer, set the red slider to 0 (green and blue at 1). What colour "
    "does the cat's orange-brown fur turn in the mix?",
    "dark green",
    options=["dark green", "black", "blue", "white", "it stays orange"],
    mistakes={
        "black": "Only the red light goes off: the fur's green (about 100) and blue (about "
                 "40) are still there, so it is not black.",
        "blue": "The fur has more green than blue (about 100 vs 40), so green wins.",
        "white": "Switching a light off can only make a pixel darker, never whiter.",
        "it stays orange": "Orange needs much red light; with red at 0 there is none.",
    },
    hints=["A fur pixel is about (R, G, B) = (122, 97, 43). What is left with R = 0?"],
    solution="dark green: (0, 97, 43) — some green, a little blue, no red.",
    explanation="(122, 97, 43) becomes (0, 97, 43): a dark green.",
    kind="predict",
    then="drag the explorer's red slider to 0 (green and blue at 1.00) and look at the mix.",
)

gray_pixel = NumberQuestion(
    "A pixel holds (R, G, B) = (200, 100, 50). What is its grayscale value "
    "(0.299·R + 0.587·G + 0.114·B, rounded)?",
    round(float(np.array([200, 100, 50]) @ images.LUMA_WEIGHTS)),
    tolerance=0.5,
    mistakes=[
        (round(350 / 3), "That is the plain average of R, G and B. The eye is most sensitive "
                         "to green: use the weights 0.299, 0.587, 0.114."),
        (round(0.114 * 200 + 0.587 * 100 + 0.299 * 50),
         "The weights are swapped: 0.299 belongs to red and 0.114 to blue."),
        (350, "That is the sum R + G + B; weigh each channel first (the weights add up to 1)."),
    ],
    hints=["Multiply each channel by its weight, then add the three products.",
           "0.299·200 = 59.8"],
    solution="0.299·200 + 0.587·100 + 0.114·50 = 59.8 + 58.7 + 5.7 = 124.2 → 124",
    explanation="0.299·200 + 0.587·100 + 0.114·50 = 124.2: green counts most.",
)

#: A 2×3 RGB image whose pixels all differ, for :data:`to_bgr`.
TEST_IMAGE = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255]],
                       [[10, 20, 30], [40, 50, 60], [70, 80, 90]]], dtype=np.uint8)


def _pairs(answer) -> list:
    """(original, the student's result) pairs: a function is run on two test images (a
    copy of each); an array is taken as the notebook's cat photo converted."""
    if not callable(answer):
        return [(images.sample("cat"), np.asarray(answer))]
    pairs = []
    for image in (TEST_IMAGE, images.sample("coffee")[:5, :7]):
        try:
            pairs.append((image, np.asarray(answer(image.copy()))))
        except Exception as error:  # the student's code may fail in any way
            raise ValueError(f"to_bgr raised {error!r}") from error
    return pairs


def _all(test, answer) -> bool:
    return all(test(original, result) for original, result in _pairs(answer))


def _raises(answer) -> bool:
    try:
        _pairs(answer)
    except ValueError:
        return True
    return False


def _swapped(original, result) -> bool:
    return result.shape == original.shape and np.array_equal(result, original[..., ::-1])


to_bgr = CodeQuestion(
    "Convert the photo to BGR order (how OpenCV stores photos): the same image with its "
    "channels in the order blue, green, red. Answer with the converted array, or with a "
    "function to_bgr(image) that converts any (H, W, 3) image.",
    lambda image: image[..., ::-1],
    accept=lambda answer: _all(_swapped, answer),
    mistakes=[
        (_raises, "Your function raises an error on a small (2, 3, 3) test image; try it "
                  "yourself: to_bgr(ex.TEST_IMAGE)."),
        (lambda a: _all(lambda o, r: r.shape != o.shape, a),
         "The result must keep the photo's shape (H, W, 3): only the channels' order "
         "changes."),
        (lambda a: _all(np.array_equal, a), "That is the photo unchanged: red is still first."),
        (lambda a: _all(lambda o, r: np.array_equal(r, o[::-1]), a),
         "[::-1] on the first axis reverses the rows (the picture turns upside down). The "
         "channels are the last axis: [..., ::-1] or [:, :, ::-1]."),
        (lambda a: _all(lambda o, r: np.array_equal(r, o[:, ::-1]), a),
         "[:, ::-1] mirrors the picture left–right. The channels are the last axis."),
        (lambda a: _all(lambda o, r: np.array_equal(r[..., 0], o[..., 2]), a),
         "Blue is first now, but red must move to the last place and green stay in the "
         "middle."),
    ],
    hints=["The channels are the last axis: cat[..., c] is channel c.",
           "Reversing the last axis puts blue first and red last."],
    solution="bgr = cat[..., ::-1]  (as a function: def to_bgr(image): return image[..., ::-1])",
    explanation="[..., ::-1] reverses the last axis: (R, G, B) → (B, G, R).",
)

small_dense = NumberQuestion(
    "A dense layer with 32 neurons reads a flattened 64×64 RGB photo. How many parameters "
    "(weights and biases) does it have?",
    64 * 64 * 3 * 32 + 32,
    mistakes={
        64 * 64 * 3 * 32: "Almost: each of the 32 neurons also has a bias.",
        64 * 64 * 32 + 32: "The photo has three channels: 64 · 64 · 3 input numbers.",
        64 * 64 * 3 + 32: "Every neuron has its own weight for every input number.",
        (64 * 64 * 3 + 1) * 32 + 1: "One bias per neuron, not one extra for the layer.",
    },
    hints=["inputs = 64 · 64 · 3; each neuron has one weight per input, plus one bias."],
    solution="64 · 64 · 3 · 32 + 32 = 393 248 parameters.",
)

shifted_cat = ChoiceQuestion(
    "A dense layer has learned to spot a cat in the top-left corner of its photos. Shown "
    "the same cat shifted 10 pixels to the right, it fails. Why?",
    "each pixel position has its own weights",
    options=["each pixel position has its own weights", "the shifted photo has more pixels",
             "shifting changes the colours", "dense layers cannot read colour"],
    mistakes={
        "the shifted photo has more pixels":
            "Shifting moves the cat inside the same frame: the photo keeps its size.",
        "shifting changes the colours":
            "Every pixel keeps its (R, G, B) values; they only sit at other positions.",
        "dense layers cannot read colour":
            "A dense layer reads all three channels (that is why its input is H·W·3 numbers).",
    },
    hints=["Which weights multiply the cat's pixels before, and which after the shift?"],
    solution="each pixel position has its own weights: after the shift, the cat's pixels meet "
             "weights that never learned it. A convolution reuses one small kernel everywhere.",
    explanation="The cat's pixels now meet other weights, which never saw a cat. A "
                "convolution slides the same kernel over every position instead.",
)
