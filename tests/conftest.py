"""Shared test fixtures.

Tests never reach the network. pytest-socket (configured in pyproject.toml's addopts:
``--allow-hosts=127.0.0.0/8,::1 --allow-unix-socket``) refuses every socket connection
for the whole suite except to loopback, so a test may start a server of its own on
127.0.0.1 or ::1 (the web tests, a LanguageTool server) and talk to it; any other
address raises pytest_socket.SocketConnectBlockedError. A test that needs a narrower
rule can use pytest-socket's markers (``@pytest.mark.allow_hosts([...])``,
``@pytest.mark.disable_socket``); none may use ``enable_socket``. Name lookups are
refused too (below), except for loopback names, so nothing leaves the machine even as a
DNS query. tests/test_conftest.py checks both guards.
"""
from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

LOOPBACK_NAMES = {None, "", "localhost", "localhost.localdomain", "ip6-localhost", "::1"}
_real_getaddrinfo = socket.getaddrinfo


def _is_address(name) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _loopback_lookups_only(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name in LOOPBACK_NAMES or _is_address(name):  # an address needs no lookup
        return _real_getaddrinfo(host, *args, **kwargs)
    raise OSError(f"tests may not look up names on the network (tried {name!r})")


@pytest.fixture(autouse=True, scope="session")
def _no_name_lookups():
    socket.getaddrinfo = _loopback_lookups_only
    yield
    socket.getaddrinfo = _real_getaddrinfo


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
