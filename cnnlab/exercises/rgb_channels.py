"""Exercises of notebook 01 — RGB channels.

>>> from cnnlab.exercises import rgb_channels as ex
>>> ex.mixed_colour.check("yellow")
✓ Correct! Red light plus green light looks yellow: the RGB model is additive.
"""

from . import ChoiceQuestion, NumberQuestion

mixed_colour = ChoiceQuestion(
    "A pixel holds (R, G, B) = (255, 255, 0). Which colour do you see?",
    "yellow",
    options=["yellow", "olive", "white", "green", "brown"],
    mistakes={
        "white": "White needs all three channels at 255; blue is 0 here.",
        "olive": "Olive is darker: about (128, 128, 0). Both lights here are at full power.",
        "green": "Red is at full power too: red and green light add up.",
        "brown": "Think of light, not paint: light adds up (additive model).",
    },
    hints=["Switch on a red lamp and a green lamp at full power on a white wall."],
    solution="yellow — red + green light; the RGB model is additive.",
    explanation="Red light plus green light looks yellow: the RGB model is additive.",
)

intensity_count = NumberQuestion(
    "How many numbers does a computer store for one 224×224 RGB photo?",
    224 * 224 * 3,
    mistakes={224 * 224: "That is one channel. An RGB photo has three matrices.",
              224 * 3: "That is one row of pixels times three channels."},
    hints=["Height × width × channels."],
    solution="224 · 224 · 3 = 150 528 intensities, each 0–255.",
)

dense_parameters = NumberQuestion(
    "A dense layer with 100 neurons reads a flattened 224×224×3 photo. "
    "How many parameters (weights and biases) does it have?",
    224 * 224 * 3 * 100 + 100,
    mistakes={
        224 * 224 * 3 * 100: "Almost: each of the 100 neurons also has a bias.",
        224 * 224 * 100 + 100: "The input has three channels: 224 · 224 · 3 numbers.",
        224 * 224 * 3 + 100: "Every neuron has its own weight for every input number.",
    },
    hints=["Each neuron: one weight per input number, plus one bias.",
           "inputs = 224 · 224 · 3; parameters = inputs · neurons + neurons."],
    solution="224 · 224 · 3 · 100 + 100 = 15 052 900 parameters — for one layer.",
)
