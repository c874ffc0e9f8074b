"""The course's JupyterLab settings (jupyterlab/overrides.json) name real settings.

The browser test proves the effect (no news question after Run All); this fast check
catches a JupyterLab upgrade that renames or retypes one of the settings.
"""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "jupyterlab" / "overrides.json"
SCHEMAS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"


def _schema(plugin_id: str) -> dict:
    package, plugin = plugin_id.split(":")
    path = SCHEMAS / package / f"{plugin}.json"
    if not path.is_file():
        pytest.fail(f"{plugin_id}: no schema at {path} (is JupyterLab installed here?)")
    return json.loads(path.read_text())


@pytest.mark.parametrize("plugin_id", sorted(json.loads(OVERRIDES.read_text())))
def test_every_override_is_a_setting_of_the_installed_jupyterlab(plugin_id):
    properties = _schema(plugin_id)["properties"]
    for name, value in json.loads(OVERRIDES.read_text())[plugin_id].items():
        assert name in properties, f"{plugin_id} has no setting {name!r}"
        allowed = properties[name]
        if "oneOf" in allowed:
            assert value in [choice["const"] for choice in allowed["oneOf"]], (name, value)
        else:
            python_type = {"boolean": bool, "string": str}[allowed["type"]]
            assert isinstance(value, python_type), (name, value)


def test_the_news_question_and_the_update_check_are_off():
    notification = json.loads(OVERRIDES.read_text())["@jupyterlab/apputils-extension:notification"]
    assert notification == {"checkForUpdates": False, "fetchNews": "false"}
