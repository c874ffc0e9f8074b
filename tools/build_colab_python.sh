#!/usr/bin/env bash
# Build the Colab-like Python (3.13, as Colab runs) from source, once, into ~/.cache/cnnlab.
#
# No prebuilt CPython 3.13 is reachable offline here (python-build-standalone and uv's
# builds live on GitHub), but Debian's archive is: its python3.13 source package carries
# the pristine CPython tarball, checked against the SHA-256 from Debian's Sources index.
# Used by tools/colab_like.py (tests/test_colab_like.py). About 2.5 minutes on 2 cores.
set -euo pipefail

VERSION=3.13.5
SHA256=93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640
URL=http://deb.debian.org/debian/pool/main/p/python3.13/python3.13_${VERSION}.orig.tar.xz
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/cnnlab
PREFIX=$CACHE/python-$VERSION
BUILD_PACKAGES="gcc make libssl-dev zlib1g-dev libffi-dev libbz2-dev liblzma-dev libsqlite3-dev"

if "$PREFIX/bin/python3.13" -c 'import ssl, zlib, ctypes, sqlite3, lzma, bz2' 2>/dev/null; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y -q $BUILD_PACKAGES >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null && apt-get install -y -q $BUILD_PACKAGES >/dev/null; }
fi
mkdir -p "$CACHE"
tarball=$CACHE/$(basename "$URL")
if [ ! -f "$tarball" ]; then
    curl -sSf -o "$tarball.part" "$URL"
    mv "$tarball.part" "$tarball"
fi
echo "$SHA256  $tarball" | sha256sum -c --quiet || { rm -f "$tarball"; exit 1; }

source_dir=$(mktemp -d)
trap 'rm -rf "$source_dir"' EXIT
tar -xJf "$tarball" -C "$source_dir" --strip-components=1
cd "$source_dir"
echo "building Python $VERSION into $PREFIX (a few minutes, once)"
./configure --prefix="$PREFIX" --without-ensurepip -q >/dev/null
make -j"$(nproc)" -s >/dev/null 2>&1
make -s altinstall >/dev/null 2>&1
"$PREFIX/bin/python3.13" -c 'import ssl, zlib, ctypes, sqlite3, lzma, bz2; print("built", __import__("sys").version)'
