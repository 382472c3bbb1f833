"""Who the preview answers: the Host names of this machine, and requests from its own pages only."""
# Only `Host` names of this machine (DNS rebinding), as spec/security.md section 5 asks; no
# answer to another site's page (`Sec-Fetch-Site`, `Origin`).
from __future__ import annotations

import functools
import ipaddress
import re
import socket
from email.message import Message


def allowed_hosts(host: str, port: int) -> set[str] | None:
    """The Host headers to answer, or None for a server opened to the network (network_host)."""
    if host in ("0.0.0.0", "::", ""):
        return None
    names = {"localhost", "127.0.0.1", "[::1]", host if ":" not in host else f"[{host}]"}
    return names | {f"{n}:{port}" for n in names}


def network_host(host: str) -> bool:
    """Whether a server opened to the network answers a request naming this Host: an address
    (`192.168.1.5:8000`, `[fe80::1]`), or this machine's own name. Never any other name: a
    web page whose name an attacker points at this machine (DNS rebinding) would read the
    preview as its own, from whatever browser on the network opens it."""
    found = re.fullmatch(r"\[([0-9a-f:.]+)\]|([^:\[\]@/]+)", re.sub(r":\d{1,5}$", "", host))
    if found is None:
        return False
    name = found[1] or found[2]
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    return name.rstrip(".").lower() in _own_names()


@functools.lru_cache(maxsize=1)
def _own_names() -> frozenset[str]:
    """This machine's names (asked once: getfqdn may wait on DNS)."""
    own = {"localhost", socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(own | {f"{n}.local" for n in own})


def is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def foreign(headers: Message, hosts: set[str] | None) -> str:
    """Why a request does not come from this server's own pages ("" if it may).

    Another site's page (or another port's: same-site) could include a page or the search
    index as a script or frame and read the preview; the browser says where a request
    comes from in Sec-Fetch-Site, and in Origin. A request without them (curl, an old
    browser) is answered; `none` is the address bar or a bookmark.
    """
    host = headers.get("Host", "").lower()
    if host not in hosts if hosts is not None else not network_host(host):
        return "Unknown host\n"
    if headers.get("Sec-Fetch-Site", "").lower() in ("cross-site", "same-site"):
        return "Only this preview's own pages may ask for this\n"
    origin = headers.get("Origin")
    if origin is not None and origin.lower() != f"http://{host}":
        return "Only this preview's own pages may ask for this\n"
    if "Service-Worker" in headers:
        # A theme's script (themes are sandboxed, their JavaScript is not) could install
        # one on this origin, and it would outlive this preview: every later preview on
        # the same port, of any catalog, would run through it. Nothing here needs one.
        return "This preview installs no service worker\n"
    return ""
