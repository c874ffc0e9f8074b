"""The small seeded CNN and the image that the Keras-side tests look into.

Test modules take them as fixtures: ``model = pytest.fixture(small_cnn.model)``. The model
is built once per test session (tests read it, none trains it).
"""

import functools

import numpy as np

from cnnlab import models


@functools.cache
def model():
    """A small untrained simple_cnn with non-trivial weights (seeded)."""
    return models.simple_cnn((14, 14, 1), 3, filters=(4, 6), padding="valid", seed=3)


def image():
    """One 14×14 uint8 image of noise."""
    return np.random.default_rng(0).integers(0, 256, (14, 14), dtype=np.uint8)
