"""Exercises of notebook 06 — classification.

>>> from cnnlab.exercises import classification as ex
>>> ex.pooled_shape.check((14, 14, 16))
✓ Correct!
"""

from . import ArrayQuestion, ChoiceQuestion, NumberQuestion

pooled_shape = ArrayQuestion(
    "A 28×28×1 image goes through Conv2D(16, 3, padding='same') and then MaxPooling2D(2). "
    "What is the shape (height, width, channels) after the pooling?",
    (14, 14, 16),
    mistakes=[((13, 13, 16), "That is 'valid' padding (28 − 3 + 1 = 26, then 13); 'same' "
                             "keeps 28×28 before the pool."),
              ((28, 28, 16), "The convolution keeps 28×28, but the 2×2 pool then halves it."),
              ((14, 14, 1), "A convolution with 16 filters gives 16 channels; pooling "
                            "keeps them.")],
    hints=["'same' padding with stride 1 keeps height and width.",
           "Pooling halves height and width, channel by channel."],
    solution="(14, 14, 16): conv 'same' → 28×28×16, then the 2×2 pool → 14×14×16",
)

conv_parameters = NumberQuestion(
    "How many trainable parameters has Conv2D(64, 3) on a 7×7×32 input?",
    (3 * 3 * 32 + 1) * 64,
    mistakes={3 * 3 * 32 * 64: "Each of the 64 filters also has a bias.",
              (3 * 3 + 1) * 64: "Each filter spans all 32 input channels: 3·3·32 weights.",
              (3 * 3 * 32 + 1) * 64 * 7 * 7: "The same weights slide over every position: "
                                             "the size of the map does not count.",
              (3 * 3 * 32 + 1) * 64 * 5 * 5: "The same weights slide over every position: "
                                             "the size of the map does not count."},
    hints=["One filter: 3·3 weights per input channel, for 32 channels, plus one bias.",
           "The layer has 64 such filters."],
    solution="(3·3·32 + 1)·64 = 18 496",
)

dense_parameters = NumberQuestion(
    "The last feature maps are 7×7×32. Flatten, then Dense(10): how many parameters has "
    "that dense layer?",
    (7 * 7 * 32 + 1) * 10,
    mistakes={7 * 7 * 32 * 10: "Each of the 10 units also has a bias.",
              (7 * 7 + 1) * 10: "Flatten keeps all 32 channels: 7·7·32 = 1568 inputs.",
              7 * 7 * 32: "That is the number of inputs; each of the 10 units has its own "
                          "weight for every input."},
    hints=["Flatten gives 7·7·32 numbers.", "Each unit: one weight per input plus a bias."],
    solution="(7·7·32 + 1)·10 = 15 690",
)

shift_robust = ChoiceQuestion(
    "Test images moved 3 pixels to the right: which network loses more accuracy?",
    "dense",
    options=["dense", "cnn", "neither"],
    mistakes={"cnn": "The CNN applies the same filters at every position and max pooling "
                     "forgives small moves; the dense network has one weight per pixel, so a "
                     "moved shoe lands on weights that never saw it.",
              "neither": "Look at the shift test's table: both lose some, not equally."},
    hints=["Which network ties each weight to one pixel position?"],
    solution="dense: its weights belong to fixed pixel positions; the CNN's filters slide.",
)

average_dense_parameters = NumberQuestion(
    "The last feature maps are 7×7×32. Global average pooling, then Dense(10): how many "
    "parameters has that dense layer?",
    (32 + 1) * 10,
    mistakes={(7 * 7 * 32 + 1) * 10: "That is flatten: global average pooling keeps one "
                                     "number per channel, 32 in all.",
              32 * 10: "Each of the 10 units also has a bias.",
              (7 * 7 + 1) * 10: "The average is taken over the 7×7 positions, one per "
                                "channel: 32 inputs, not 49."},
    hints=["Global average pooling turns each 7×7 map into one number.",
           "Each unit: one weight per input plus a bias."],
    solution="32 inputs (one mean per channel): (32 + 1)·10 = 330",
)

average_tradeoff = ChoiceQuestion(
    "Global average pooling made the CNN lose much less on images moved by 3 pixels, but "
    "it is less accurate on images that were not moved. Why?",
    "position",
    options=["position", "parameters", "blur", "test"],
    mistakes={"parameters": "Look at its summary: with 32 inputs instead of 1 568, the "
                            "hidden layer has far fewer weights, not more.",
              "blur": "The average is taken over each feature map (7×7 numbers per channel), "
                      "after the convolutions; the image itself is not blurred.",
              "test": "The shift test moves only the test images; every network was trained "
                      "on the same images (the augmented one moved them itself)."},
    hints=["What does the dense layer still know about a pattern after the average: how "
           "strong it was, and what else?"],
    solution="position: the mean of a channel says how strongly its pattern showed up, not "
             "where; where things are (a collar at the top, sleeves at the sides) helps tell "
             "shirts from coats and pullovers. That is also why shifts hardly matter to it.",
)
