"""requirements/lock.txt installs on every system and Python of the README's support table.

No such machine is needed: the resolvers are asked on the package index (PyPI) whether each
pin that applies to a system has a wheel there. uv checks every cell of the table, including
the full resolution (installing the lock there brings exactly its pins, nothing unpinned);
pip, the installer that `make lab` and the Windows commands use, checks each system's wheel
tags at the newest Python. A failure names every pin without a wheel and the resolver's reason.

The slow tests need the index (`make test` has it, CI too); the others are pure Python.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
INDEX = "https://pypi.org/simple"

# The oldest systems claimed in the README: glibc 2.28 (manylinux_2_28) and macOS 12.
# A newer one accepts every wheel an older one does, and the pins are exact.
GLIBC_MINOR = 28
MACOS = "12.0"
PYTHONS = ("3.11", "3.12", "3.13")


def manylinux_tags(arch: str) -> tuple[str, ...]:
    # pip takes --platform tags literally: manylinux_2_28 does not imply the older
    # manylinux_2_17 ... 2_27 wheels that such a system also installs, so name them all.
    return (*(f"manylinux_2_{minor}_{arch}" for minor in range(17, GLIBC_MINOR + 1)),
            f"manylinux2014_{arch}")


@dataclass(frozen=True)
class System:
    """A system as the README's table names it, described for the markers and both resolvers."""

    markers: dict[str, str]
    pip_platforms: tuple[str, ...]
    uv_platform: str
    uv_environment: dict[str, str] = field(default_factory=dict)


SYSTEMS = {
    "Linux x86-64": System(
        {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
         "platform_machine": "x86_64"},
        manylinux_tags("x86_64"), f"x86_64-manylinux_2_{GLIBC_MINOR}"),
    "Linux arm64": System(
        {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
         "platform_machine": "aarch64"},
        manylinux_tags("aarch64"), f"aarch64-manylinux_2_{GLIBC_MINOR}"),
    # pip expands a macOS tag to the older versions and universal2 itself.
    "macOS arm64": System(
        {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix",
         "platform_machine": "arm64"},
        (f"macosx_{MACOS.replace('.', '_')}_arm64",), "aarch64-apple-darwin",
        {"MACOSX_DEPLOYMENT_TARGET": MACOS}),
    "Windows x86-64": System(
        {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
         "platform_machine": "AMD64"},
        ("win_amd64",), "x86_64-pc-windows-msvc"),
}


def lock_requirements(path: Path = LOCK) -> list[Requirement]:
    lines = (line.strip() for line in path.read_text().splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith("#")]


def pin(requirement: Requirement) -> str:
    # The resolvers' messages spell names canonically (tensorflow-cpu, not tensorflow_cpu).
    return f"{canonicalize_name(requirement.name)}{requirement.specifier}"


def marker_environment(system: System, python: str) -> dict[str, str]:
    # Every marker variable is given, so that nothing of the machine running the test leaks in.
    return {"implementation_name": "cpython", "implementation_version": python,
            "platform_python_implementation": "CPython", "platform_release": "",
            "platform_version": "", "python_version": python.rsplit(".", 1)[0],
            "python_full_version": python, **system.markers}


def pins_for(system: System, python: str, path: Path = LOCK) -> list[str]:
    """The pins of the lock that pip installs on `system` under `python` (markers evaluated)."""
    environment = marker_environment(system, python)
    return [pin(requirement) for requirement in lock_requirements(path)
            if requirement.marker is None or requirement.marker.evaluate(environment)]


def python_versions(minor: str, path: Path = LOCK) -> list[str]:
    """The versions of one Python minor that get different pins: x.y.0 and each boundary
    the lock's markers draw inside it (e.g. soupsieve 4.1.3 needs 3.11.5)."""
    boundaries = re.findall(r"python_full_version\s*[<>=!]+\s*'([0-9.]+)'", path.read_text())
    inside = {version for version in boundaries if version.startswith(minor + ".")}
    return sorted({f"{minor}.0", *inside}, key=lambda v: tuple(map(int, v.split("."))))


def pins_without_wheels(command: list[str], pins: list[str], directory: Path,
                        env: dict[str, str] | None = None) -> dict[str, str]:
    """Each pin that `command` (a resolver asked about a requirements file, without
    dependencies) cannot install, with the resolver's reason.

    A resolver stops at the first pin it cannot place; that pin is set aside and the rest
    asked again, until the rest resolves.
    """
    missing: dict[str, str] = {}
    remaining = list(pins)
    while remaining:
        requirements = directory / "pins.txt"
        requirements.write_text("\n".join(remaining) + "\n")
        result = subprocess.run([*command, "-r", str(requirements)], capture_output=True,
                                text=True, env=env)
        if result.returncode == 0:
            break
        output = result.stdout + result.stderr
        # Only the error names the culprit: pip lists every pin it collected before it.
        error = re.search(r"^(error|ERROR):.*", output, flags=re.MULTILINE | re.DOTALL)
        text = error.group(0) if error else ""
        named = [p for p in remaining if re.search(rf"(?<![\w.-]){re.escape(p)}(?![\w-]|\.\d)",
                                                   text)]
        assert named, f"{' '.join(command)} failed without naming a pin:\n{output}"
        lines = [line.strip() for line in text.splitlines()]
        for culprit in named:
            reason = next((line for line in lines if culprit in line), lines[0])
            missing[culprit] = reason if len(reason) <= 240 else reason[:240] + " ..."
        remaining = [p for p in remaining if p not in named]
    return missing


def report(missing: dict[str, str]) -> str:
    return "\n".join(f"  {p}: {reason}" for p, reason in missing.items())


@pytest.fixture(scope="module")
def uv() -> str:
    try:
        from uv import find_uv_bin
    except ImportError:
        path = shutil.which("uv")
        if path is None:
            pytest.skip("uv is not installed (requirements/lock.txt has it: `make test`)")
        return path
    return find_uv_bin()


def uv_command(uv: str, system: System, python: str, target: Path) -> list[str]:
    return [uv, "pip", "install", "--dry-run", "--no-config", "--default-index", INDEX,
            "--only-binary", ":all:", "--python", sys.executable, "--target", str(target),
            "--python-platform", system.uv_platform, "--python-version", python]


def excluded_from_lock(path: Path = LOCK) -> set[str]:
    """The packages `make lock` leaves unpinned on purpose (uv lists them at the end)."""
    tail = path.read_text().partition("# The following packages were excluded from the output:")[2]
    return {canonicalize_name(line.lstrip("# ").strip()) for line in tail.splitlines()
            if line.strip("# ")}


@pytest.mark.slow
@pytest.mark.parametrize("python", PYTHONS)
@pytest.mark.parametrize("name", SYSTEMS)
def test_uv_installs_the_lock(uv, name, python, tmp_path):
    system = SYSTEMS[name]
    env = {**os.environ, **system.uv_environment}
    problems = []
    for version in python_versions(python):
        pins = pins_for(system, version)
        command = uv_command(uv, system, version, tmp_path / f"target-{version}")
        # With dependencies and uv's own marker evaluation: the plan is exactly the pins
        # (plus the latest of what the lock leaves out on purpose).
        result = subprocess.run([*command, "-r", str(LOCK)], capture_output=True, text=True,
                                env=env)
        output = result.stdout + result.stderr
        planned = set(re.findall(r"^ \+ (\S+)$", output, flags=re.MULTILINE))
        unpinned = {p for p in planned - set(pins)
                    if canonicalize_name(p.split("==")[0]) not in excluded_from_lock()}
        if result.returncode == 0 and not unpinned and planned >= set(pins):
            continue
        missing = pins_without_wheels([*command, "--no-deps"], pins, tmp_path, env)
        if missing:
            problems.append(f"{name}, Python {version}: no wheel for\n{report(missing)}")
        else:
            problems.append(f"{name}, Python {version}: uv's plan differs from the pins "
                            f"(unpinned {sorted(unpinned)}, left out "
                            f"{sorted(set(pins) - planned)}):\n{output}")
    assert not problems, "\n".join(problems)


def pip_command(system: System, python: str, target: Path) -> list[str]:
    # --isolated: the user's pip configuration (extra indexes, find-links) must not supply
    # wheels that PyPI lacks. pip evaluates markers for the machine it runs on, so it is given
    # the target's pins with the markers already evaluated, and --no-deps.
    return [sys.executable, "-m", "pip", "--isolated", "install", "--dry-run",
            "--ignore-installed", "--no-deps", "--only-binary=:all:", "--index-url", INDEX,
            "--implementation", "cp", "--python-version", python,
            *(f"--platform={tag}" for tag in system.pip_platforms), "--target", str(target)]


@pytest.fixture(scope="module")
def pip_answers(tmp_path_factory) -> dict[str, dict[str, str]]:
    """pip's pins without wheels, per system, at the newest Python.

    The four runs go at once: pip reads the index one project at a time (and fetches whole
    wheels where the index serves no separate metadata), so each mostly waits.
    """
    python = f"{PYTHONS[-1]}.0"

    def ask(name: str) -> dict[str, str]:
        directory = tmp_path_factory.mktemp("pip")
        system = SYSTEMS[name]
        return pins_without_wheels(pip_command(system, python, directory / "target"),
                                   pins_for(system, python), directory)

    with ThreadPoolExecutor(len(SYSTEMS)) as pool:
        return dict(zip(SYSTEMS, pool.map(ask, SYSTEMS), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("name", SYSTEMS)
def test_pip_finds_a_wheel_for_every_pin(pip_answers, name):
    missing = pip_answers[name]
    assert not missing, f"{name}, Python {PYTHONS[-1]}.0: pip finds no wheel for\n{report(missing)}"


def readme_support_table() -> tuple[list[str], list[str]]:
    """The Python columns and the system rows of the README's "Supported systems" table."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Supported systems\n", 1)[1].split("\n## ", 1)[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in section.splitlines() if line.startswith("|")]
    header, body = rows[0], rows[2:]
    pythons = [cell.removeprefix("Python ") for cell in header if cell.startswith("Python ")]
    systems = [row[0].strip("*").split(" (")[0] for row in body
               if all(cell == "✓" for cell in row[1:1 + len(pythons)])]
    return pythons, systems


def test_readme_claims_exactly_what_is_checked():
    pythons, systems = readme_support_table()
    assert pythons == list(PYTHONS)
    assert systems == list(SYSTEMS)


def test_requires_python_starts_at_the_oldest_checked_python():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'requires-python = ">={PYTHONS[0]}"' in pyproject


def test_environment_yml_lists_the_lock_with_its_markers():
    # conda passes the pip list to pip as a requirements file: markers must survive YAML.
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in environment["dependencies"]
                       if isinstance(item, dict))
    assert pip_section[-1] == "-e ."
    assert [str(Requirement(line)) for line in pip_section[:-1]] == \
        [str(requirement) for requirement in lock_requirements()]


def test_markers_pick_tensorflow_cpu_only_where_it_has_wheels():
    chosen = {name: [p.split("==")[0] for p in pins_for(system, "3.11.9")
                     if p.startswith("tensorflow")]
              for name, system in SYSTEMS.items()}
    assert chosen == {"Linux x86-64": ["tensorflow-cpu"], "Linux arm64": ["tensorflow"],
                      "macOS arm64": ["tensorflow"], "Windows x86-64": ["tensorflow-cpu"]}
