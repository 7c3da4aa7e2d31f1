"""The wheels a user installs: a version above the unrelated 0.1.28 on the package index, the license in
every wheel, a long description for every plugin, and extras whose trl pins run what the messages promise."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
DISTS = {
    "aligntune": ROOT,
    "aligntune_rewards_basic": ROOT / "plugins" / "aligntune_rewards_basic",
    "aligntune_backend_trl": ROOT / "plugins" / "aligntune_backend_trl",
    "aligntune_backend_unsloth": ROOT / "plugins" / "aligntune_backend_unsloth",
}
#: The original project of the same name on the package index: ours must sort above it.
INDEX_VERSION = Version("0.1.28")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> dict[str, zipfile.ZipFile]:
    out = tmp_path_factory.mktemp("wheels")
    cmd = [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
           "--no-build-isolation", "-w", str(out), *map(str, DISTS.values())]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    found = {}
    for name in DISTS:
        (path,) = out.glob(f"{name}-*.whl")
        found[name] = zipfile.ZipFile(path)
    return found


def _metadata(wheel: zipfile.ZipFile):
    (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    return Parser().parsestr(wheel.read(name).decode("utf-8"))


def _requirements(meta, extra: str | None = None) -> dict[str, Requirement]:
    reqs = {}
    for line in meta.get_all("Requires-Dist") or []:
        req = Requirement(line)
        env = {"extra": extra or ""}
        if req.marker is None and extra is None or req.marker is not None and extra and req.marker.evaluate(env):
            reqs[req.name] = req
    return reqs


@pytest.mark.parametrize("name", list(DISTS))
def test_every_wheel_sorts_above_the_index_project_and_carries_license_and_description(wheels, name):
    wheel = wheels[name]
    meta = _metadata(wheel)
    assert Version(meta["Version"]) > INDEX_VERSION
    assert meta["License-Expression"] == "Apache-2.0"
    licence = [n for n in wheel.namelist() if re.search(r"\.dist-info/licenses/LICENSE$", n)]
    assert licence and b"Apache License" in wheel.read(licence[0])
    assert meta.get_all("Classifier")
    body = meta.get_payload()
    assert len(body) > 400 and "aligntune" in body
    if name != "aligntune":  # the repository README links its docs folder; a plugin's page stands alone
        assert "](docs/" not in body and "](../" not in body, "relative links do not work on the package index"


@pytest.mark.parametrize("name", [n for n in DISTS if n != "aligntune"])
def test_plugins_require_this_project_not_the_index_one(wheels, name):
    req = _requirements(_metadata(wheels[name]))["aligntune"]
    assert not req.specifier.contains("0.1.28") and req.specifier.contains("0.2.0")


@pytest.mark.parametrize("extra", ["trl", "ppo", "all", "unsloth"])
def test_extras_that_bring_the_trl_backend_hold_the_trl_that_still_has_ppo(wheels, extra):
    reqs = _requirements(_metadata(wheels["aligntune"]), extra)
    assert "aligntune-backend-trl" in reqs
    assert reqs["trl"].specifier.contains("1.12.0") and not reqs["trl"].specifier.contains("1.13.0")


def test_the_grpo_extra_takes_the_newest_trl_and_all_stays_cpu_safe(wheels):
    meta = _metadata(wheels["aligntune"])
    grpo = _requirements(meta, "grpo")["trl"]
    assert grpo.specifier.contains("1.16.0")
    assert "unsloth" not in _requirements(meta, "all")


def test_install_lines_in_backend_messages_name_extras_that_exist(wheels):
    from aligntune_backend_trl.backend import INSTALL

    extras = set(_metadata(wheels["aligntune"]).get_all("Provides-Extra"))
    for algorithm, line in INSTALL.items():
        named = re.findall(r"aligntune\[(\w+)\]", line)
        assert named and set(named) <= extras, (algorithm, line)
