"""Exercises of notebook 07 — transfer learning.

>>> from cnnlab.exercises import transfer_learning as ex
>>> ex.feature_map_size.check(10)
✓ Correct!
"""

from . import ChoiceQuestion, NumberQuestion

#: Number of channels of EfficientNet-Lite0's last feature map.
FEATURES = 1280

head_parameters = NumberQuestion(
    "The new head is Dense(2, softmax) on the 1280 pooled features. How many weights does "
    "training change?",
    FEATURES * 2 + 2,
    mistakes={FEATURES * 2: "Each of the 2 output units also has a bias.",
              FEATURES + 1: "There are 2 output units (face, not face), each with its own "
                            "1280 weights and bias.",
              FEATURES * 1000 + 1000: "That is ImageNet's 1000-class head, which we removed.",
              7 * 7 * FEATURES * 2 + 2: "Global average pooling turns the 7×7×1280 map into "
                                        "1280 numbers before the head."},
    hints=["A Dense layer has (inputs × outputs) weights plus one bias per output."],
    solution="1280 · 2 + 2 = 2562",
    explanation="1280 weights per class plus one bias each; "
                "the 3.4 million weights of the backbone stay frozen.",
)

feature_map_size = NumberQuestion(
    "EfficientNet-Lite0 halves the image five times (five convolutions with stride 2 and "
    "'same' padding). How high is its last feature map for a 320×320 photo?",
    320 // 2 ** 5,
    tolerance=0,
    mistakes={20: "That is four halvings; count the stem too: 320 → 160 → 80 → 40 → 20 → 10.",
              5: "That is six halvings; there are five.",
              7: "7 is the size for 224×224 photos; the network accepts any size.",
              320: "'same' padding keeps the size only with stride 1; stride 2 halves it."},
    hints=["With 'same' padding and stride 2, the output is ceil(input / 2).",
           "Halve 320 five times."],
    solution="320 / 2⁵ = 320 / 32 = 10 (with 'same' padding: ceil at each step)",
)

STRATEGIES = (
    "train simple_cnn from scratch",
    "freeze the pretrained backbone and train a new head",
    "fine-tune the whole backbone with a high learning rate",
)

strategy = ChoiceQuestion(
    "You have 15 photos of each of two bird species. Which first approach do you expect to "
    f"give the best test accuracy? One of ex.STRATEGIES: {STRATEGIES}",
    STRATEGIES[1],
    options=STRATEGIES,
    mistakes={STRATEGIES[0]: "With 15 examples per class a network trained from scratch "
                             "learns little beyond its training photos (see the curve).",
              STRATEGIES[2]: "Millions of weights, 30 photos and a high learning rate: the "
                             "network forgets ImageNet and memorises the 30 photos."},
    hints=["Look at the data-efficiency curve at 10–20 examples per class."],
    solution=STRATEGIES[1] + " — the ImageNet features already separate the classes; "
             "only 2562 weights need your data.",
)
