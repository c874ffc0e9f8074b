"""Exercises of notebook 07 — transfer learning.

>>> from cnnlab.exercises import transfer_learning as ex
>>> ex.feature_map_size.check(15)
✓ Correct!
"""

from . import ChoiceQuestion, NumberQuestion

#: Number of channels of EfficientNet-Lite0's last feature map.
FEATURES = 1280
#: The flowers of notebook 07 (``transfer_data.FLOWER_CLASSES``).
CLASSES = 5

head_parameters = NumberQuestion(
    "Our head is Dense(5, softmax) on the 1280 pooled features. How many weights does "
    "training change?",
    FEATURES * CLASSES + CLASSES,
    mistakes={FEATURES * CLASSES: "Each of the 5 output units also has a bias.",
              FEATURES + 1: "There are 5 output units (one per flower), each with its own "
                            "1280 weights and bias.",
              FEATURES * 1000 + 1000: "That is ImageNet's 1000-class head, which we removed.",
              7 * 7 * FEATURES * CLASSES + CLASSES:
                  "Global average pooling turns the 7×7×1280 map into 1280 numbers before "
                  "the head."},
    hints=["A Dense layer has (inputs × outputs) weights plus one bias per output."],
    solution="1280 · 5 + 5 = 6405",
    explanation="1280 weights per flower plus one bias each; "
                "the 3.4 million weights of the backbone stay frozen.",
)

feature_map_size = NumberQuestion(
    "EfficientNet-Lite0 halves the image five times (five convolutions with stride 2 and "
    "'same' padding). How high is its last feature map for a 480×480 photo?",
    480 // 2 ** 5,
    tolerance=0,
    mistakes={30: "That is four halvings; count the stem too: 480 → 240 → 120 → 60 → 30 → 15.",
              8: "That is six halvings; there are five.",
              7: "7 is the size for 224×224 photos; the network accepts any size.",
              480: "'same' padding keeps the size only with stride 1; stride 2 halves it."},
    hints=["With 'same' padding and stride 2, the output is ceil(input / 2).",
           "Halve 480 five times."],
    solution="480 / 2⁵ = 480 / 32 = 15 (with 'same' padding: ceil at each step)",
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
             "only a few thousand weights need your data.",
)

OWN_MODEL_REASONS = (
    "its filters respond to whatever told its 25 training photos apart (a colour, a "
    "texture, the background), not to what makes a tulip a tulip",
    "saliency maps only work for networks pretrained on ImageNet",
    "96×96 pixels are too few to show a flower",
)

own_model = ChoiceQuestion(
    "Your CNN from scratch got fewer than half of the test photos right. Look at its "
    "gradient saliency and feature maps on a few test photos it gets wrong. Which "
    "explanation fits "
    f"a model trained on 25 photos? One of ex.OWN_MODEL_REASONS: {OWN_MODEL_REASONS}",
    OWN_MODEL_REASONS[0],
    options=OWN_MODEL_REASONS,
    mistakes={OWN_MODEL_REASONS[1]: "A saliency map needs only a model and a gradient: you "
                                    "have just computed one for your own model.",
              OWN_MODEL_REASONS[2]: "You can tell the flowers apart at 96×96 yourself (look "
                                    "at the photos), and in the benchmark 64 px and 128 px "
                                    "trained no better than 96 px."},
    hints=["With 25 photos, many features separate the training photos by chance: which "
           "ones does the heat map point at?"],
    solution=OWN_MODEL_REASONS[0] + " — 25 photos cannot show which differences matter; "
             "the pretrained network learned that from a million photos.",
)
