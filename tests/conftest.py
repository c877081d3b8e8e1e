"""Shared test fixtures. Tests never reach the network: sockets to anything but
loopback are refused for the whole session."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1")) or not isinstance(address, tuple):
        return _real_connect(self, address)
    raise OSError(f"tests may not reach the network (tried {host})")


@pytest.fixture(autouse=True, scope="session")
def _no_network():
    socket.socket.connect = _loopback_only
    yield
    socket.socket.connect = _real_connect


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def cli():
    """Run the `permanence` command in-process: cli(["validate", path]) -> click Result."""
    from permanence.cli import main

    runner = CliRunner()

    def run(args, **kwargs):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)

    return run
