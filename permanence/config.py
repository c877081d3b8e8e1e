"""Configuration: a TOML file, then environment variables (which win).

Looked for at $PERMANENCE_CONFIG, else ./permanence.toml, else
~/.config/permanence/config.toml. Example:

    profile = "warrington"            # default local authority profile

    [languagetool]
    server = "http://lt.internal:8081"   # a self-hosted LanguageTool server, or
    jar_dir = "/opt/LanguageTool-6.6"    # a local LanguageTool directory
    public_api = false                   # the public API is used only if set true

Environment: PERMANENCE_PROFILE, PERMANENCE_LT_SERVER, LTP_JAR_DIR_PATH,
PERMANENCE_LT_PUBLIC_API=1.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from permanence.findings import UserError


@dataclass(frozen=True)
class Config:
    profile: str = "england"
    lt_server: str | None = None
    lt_jar_dir: str | None = None
    lt_public_api: bool = False
    path: str | None = None


def _config_path() -> Path | None:
    explicit = os.environ.get("PERMANENCE_CONFIG")
    if explicit:
        return Path(explicit)
    for candidate in (Path("permanence.toml"), Path.home() / ".config" / "permanence" / "config.toml"):
        if candidate.is_file():
            return candidate
    return None


def load_config() -> Config:
    path = _config_path()
    data: dict = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except OSError as exc:
            raise UserError(f"{path}: cannot read the configuration file ({exc.strerror}).") from None
        except UnicodeDecodeError as exc:
            raise UserError(f"{path}: the configuration file is not UTF-8 text (bad byte at position {exc.start}). Save it as UTF-8 and try again.") from None
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"{path}: the configuration file is not valid TOML ({exc}).") from None
    lt = data.get("languagetool", {}) if isinstance(data.get("languagetool", {}), dict) else {}
    public_api = lt.get("public_api", False)
    if not isinstance(public_api, bool):
        # public_api = "false" is a non-empty string, which Python reads as true: the case
        # text would go to languagetool.org. Only a real true (no quotes) switches it on.
        raise UserError(f"{path}: [languagetool] public_api must be true or false, without quotes "
                        f"(it is {public_api!r}). The public API sees the text: leave it false unless you mean it.")
    env = os.environ
    return Config(
        profile=env.get("PERMANENCE_PROFILE") or data.get("profile") or "england",
        lt_server=env.get("PERMANENCE_LT_SERVER") or lt.get("server"),
        lt_jar_dir=env.get("LTP_JAR_DIR_PATH") or lt.get("jar_dir"),
        lt_public_api=(env.get("PERMANENCE_LT_PUBLIC_API") == "1") or public_api,
        path=str(path) if path else None,
    )
