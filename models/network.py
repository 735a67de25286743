"""Client IP extraction and realm IP allow-lists (protocol §2.4, §10.2)."""

from __future__ import annotations

import ipaddress


def client_ip(remote_addr: str | None, forwarded_for: str | None) -> str:
    """Return the client IP: second-to-last X-Forwarded-For entry, else the peer."""
    if forwarded_for:
        entries = forwarded_for.split(",")
        # The last entry is the load balancer's own; a single entry is
        # client-controlled and therefore ignored.
        if len(entries) >= 2:
            return entries[-2].strip()
    return (remote_addr or "").strip()


def strip_port(address: str) -> str:
    """Remove a trailing ``:port`` (IPv4 ``a:p`` or IPv6 ``[a]:p``)."""
    if address.startswith("["):
        return address[1 : address.find("]")] if "]" in address else address
    if address.count(":") == 1:
        return address.split(":", 1)[0]
    return address


def ip_allowed(cidrs: list[str] | None, address: str) -> bool:
    """Say whether ``address`` falls in one of ``cidrs`` (empty list allows all)."""
    if not cidrs:
        return True
    try:
        ip = ipaddress.ip_address(strip_port(address))
    except ValueError:
        return False
    for cidr in cidrs:
        try:
            network = ipaddress.ip_network(cidr.strip(), strict=False)
        except ValueError:
            continue  # unparsable entries are skipped, as the original does
        if ip.version == network.version and ip in network:
            return True
    return False
