"""Local authority profiles: one data file each in forms/profiles/, each extending
`england` (the statutory baseline). A profile is read, never written, by code."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from permanence.findings import UserError

DEFAULT_PROFILE = "england"


def _merge(base: dict, override: dict) -> dict:
    """One level deep: a profile that restates a timescale (or a setting inside `ppm`,
    `panel_referral`, ...) replaces it whole, so no half-inherited period survives."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def available_profiles() -> list[str]:
    folder = resources.files("permanence.forms").joinpath("profiles")
    return sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))


@lru_cache(maxsize=None)
def _raw_profile(name: str) -> dict:
    folder = resources.files("permanence.forms").joinpath("profiles")
    # Only a shipped profile's name: a path ('../x') or a name too long for the file
    # system never reaches the disk.
    if not isinstance(name, str) or name not in available_profiles():
        raise UserError(f"unknown profile '{str(name)[:80]}'. Known profiles: {', '.join(available_profiles())}. Run 'permanence profiles' to see them.")
    entry = folder.joinpath(f"{name}.json")
    if not entry.is_file():
        raise UserError(f"unknown profile '{name}'. Known profiles: {', '.join(available_profiles())}. Run 'permanence profiles' to see them.")
    return json.loads(entry.read_text("utf-8"))


@dataclass(frozen=True)
class Profile:
    id: str
    data: dict

    @property
    def name(self) -> str:
        return self.data.get("name", self.id)

    @property
    def authority(self) -> str:
        return self.data.get("authority", self.name)

    @property
    def timescales(self) -> dict:
        return self.data.get("timescales", {})

    def timescale(self, timescale_id: str) -> dict | None:
        entry = self.timescales.get(timescale_id)
        return entry if entry and not entry.get("disabled") else None

    def get(self, *keys, default=None):
        node = self.data
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node


@lru_cache(maxsize=None)
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """The profile with everything it extends merged in (the child's values win)."""
    chain, current = [], name
    while current:
        if current in chain:
            raise UserError(f"profile '{name}' extends itself through '{current}'.")
        chain.append(current)
        current = _raw_profile(current).get("extends")
    data: dict = {}
    for link in reversed(chain):
        data = _merge(data, {k: v for k, v in _raw_profile(link).items() if k != "extends"})
    data["id"] = name
    data["extends_chain"] = chain[1:]
    return Profile(id=name, data=data)
