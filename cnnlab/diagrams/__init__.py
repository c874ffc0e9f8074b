"""Pictures of ideas (not of data): matplotlib diagrams that explain a rule.

One submodule per subject, each function returning a closed, described figure (see
:func:`cnnlab.figures.describe`), shown once as a cell's value:

- ``connectivity`` — dense vs local connections, weight sharing, several channels and filters.
- ``geometry`` — what a kernel reaches: receptive fields, dilation's taps, strides.
- ``activations`` — ReLU, softmax and cross-entropy as curves.

Import the submodule you need: ``from cnnlab.diagrams import geometry``.
"""
