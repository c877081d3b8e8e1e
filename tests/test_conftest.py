"""The suite's network guard (tests/conftest.py, pytest-socket): loopback works, nothing
else can be reached or even looked up."""

import socket
import threading

import pytest


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_a_connection_off_the_machine_is_refused():
    from pytest_socket import SocketConnectBlockedError

    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1: never routed


def test_a_name_lookup_is_refused():
    with pytest.raises(OSError, match="may not look up names"):
        socket.getaddrinfo("example.org", 443)


def test_a_loopback_server_can_be_reached():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    got = []

    def serve():
        conn, _ = server.accept()
        with conn:
            got.append(conn.recv(5))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    with socket.create_connection(("localhost", port), timeout=5) as client:
        client.sendall(b"hello")
    thread.join(5)
    server.close()
    assert got == [b"hello"]
