"""Start the web page under uvicorn: loopback by default; any other address needs a token
or a reverse proxy's sign-in header."""
from __future__ import annotations

import ipaddress
import logging
import secrets

from permanence.findings import UserError


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def run_serve(host: str, port: int, token: str | None, sso_header: str | None, workers: int = 4) -> int:
    import click
    import uvicorn

    from permanence.web.app import Settings, create_app

    if not 0 < port < 65536:
        raise UserError(f"--port {port}: give a port between 1 and 65535, for example 8765.")
    if token is not None and len(token) < 16:
        raise UserError("--token must be at least 16 characters; 'python3 -c \"import secrets; print(secrets.token_urlsafe())\"' makes one.")
    if sso_header is not None and not sso_header.replace("-", "").isalnum():
        raise UserError(f"--sso-header '{sso_header[:40]}': give a header name such as X-Remote-User.")
    if not is_loopback(host) and not (token or sso_header):
        raise UserError(f"--host {host}: other computers could reach the page, so it needs --token (or --sso-header behind your "
                        f"authority's sign-in proxy). For example: permanence serve --host {host} --token "
                        f"{secrets.token_urlsafe(18)}")
    # On this computer only, the page answers to its own names, so that a web site cannot point
    # its name at 127.0.0.1 and use the page from the browser (DNS rebinding).
    hosts = frozenset({"127.0.0.1", "localhost", "[::1]", host.lower() if ":" not in host else f"[{host.lower()}]"}) \
        if is_loopback(host) and not token else None
    app = create_app(Settings(token=token, sso_header=sso_header, workers=workers, allowed_hosts=hosts))
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    click.echo(f"Open {address} in your browser. Press Ctrl+C to stop; nothing is kept.", err=True)
    logging.getLogger("permanence.web").setLevel(logging.INFO)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning", server_header=False,
                timeout_graceful_shutdown=5)
    return 0
