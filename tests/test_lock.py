"""requirements.lock agrees with pyproject.toml.

scripts/setup (and so scripts/test and CI) installs exactly what requirements.lock pins,
with hashes; pyproject.toml keeps the compatible ranges. These tests fail when someone
adds or changes a dependency in pyproject.toml without running scripts/lock.
"""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _lock_entries():
    """{canonical name: (version, marker text or None, [hashes])} from the lock."""
    entries = {}
    current = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = PIN.match(line)
        if m:
            current = canonicalize_name(m.group(1))
            assert current not in entries, f"{m.group(1)} is pinned twice in requirements.lock"
            entries[current] = (m.group(2), m.group(3), [])
            continue
        h = re.match(r"^\s+--hash=(sha256:[0-9a-f]{64})", line)
        if h and current:
            entries[current][2].append(h.group(1))
        elif not line.startswith(" "):
            current = None
    return entries


def _pyproject_requirements():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = [("dependencies", r) for r in data["project"]["dependencies"]]
    for extra, items in data["project"].get("optional-dependencies", {}).items():
        reqs += [(f"the {extra} extra", r) for r in items]
    reqs += [("build-system requires", r) for r in data["build-system"]["requires"]]
    return [(where, Requirement(r)) for where, r in reqs]


def test_lock_pins_every_package_with_hashes():
    entries = _lock_entries()
    assert len(entries) >= 20, "requirements.lock looks empty: run scripts/lock"
    for name, (version, _marker, hashes) in entries.items():
        assert hashes, f"{name}=={version} has no --hash in requirements.lock: run scripts/lock"


@pytest.mark.parametrize("where,req", _pyproject_requirements(), ids=lambda v: str(v))
def test_every_pyproject_dependency_is_pinned_within_its_range(where, req):
    entries = _lock_entries()
    name = canonicalize_name(req.name)
    assert name in entries, (
        f"{req} ({where} in pyproject.toml) is not in requirements.lock: run scripts/lock"
    )
    version = entries[name][0]
    assert req.specifier.contains(version, prereleases=True), (
        f"requirements.lock pins {req.name}=={version}, outside {req} ({where} in "
        "pyproject.toml): run scripts/lock"
    )


def test_the_installed_packages_are_the_locked_versions():
    """What this suite runs on is what the lock says (setup installs from it)."""
    from importlib.metadata import PackageNotFoundError, version

    env = default_environment()
    wrong = []
    for name, (pinned, marker, _hashes) in _lock_entries().items():
        if marker:
            from packaging.markers import Marker

            if not Marker(marker).evaluate(env):
                continue
        try:
            got = version(name)
        except PackageNotFoundError:
            wrong.append(f"{name} (locked {pinned}) is not installed")
            continue
        if canonicalize_name(got) != canonicalize_name(pinned) and got != pinned:
            wrong.append(f"{name} {got} is installed, the lock pins {pinned}")
    assert not wrong, "run scripts/setup: " + "; ".join(wrong)
