"""Client IP extraction and realm IP allow-lists (protocol §2.4, §10.2).

``X-Forwarded-For`` is written by whoever sends the request, so it is read
only behind a configured trusted proxy (design.md §5); otherwise the socket
peer is the client and nobody chooses their own rate-limit key.
"""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class TrustedProxies:
    """Which proxies may tell us the client's address (default: none).

    ``networks``: the socket peer must be in one of them; X-Forwarded-For is
    then read from the right, skipping trusted entries, and the first
    untrusted entry is the client (nginx, HAProxy, any proxy that appends
    the address it saw). ``hops``: that many trusted load balancers in front,
    each appending the client's address and its own as Google's does, so
    the client is entry ``hops + 1`` from the right (protocol §10.2 is
    ``hops=1``); a shorter header means the socket peer.
    """

    networks: tuple[Network, ...] = ()
    hops: int = 0

    @classmethod
    def parse(cls, addresses: str, hops: int = 0) -> TrustedProxies:
        """Build from a comma list of addresses/CIDRs; raise ValueError if bad."""
        nets = tuple(
            ipaddress.ip_network(item.strip(), strict=False)
            for item in addresses.split(",")
            if item.strip()
        )
        if hops < 0:
            raise ValueError("the hop count must not be negative")
        if nets and hops:
            raise ValueError("give trusted proxy addresses or a hop count, not both")
        return cls(nets, hops)

    def __bool__(self) -> bool:
        return bool(self.networks or self.hops)

    def trusts(self, address: str) -> bool:
        """Say whether ``address`` (port allowed) is one of the trusted proxies."""
        if not self.networks:
            return False
        ip = parse_ip(strip_port(address.strip()))
        if ip is None:
            return False
        return any(ip.version == n.version and ip in n for n in self.networks)

    def client_ip(self, remote_addr: str | None, forwarded_for: str | None) -> str:
        """Return the client address of a request, per the trust rules above."""
        remote = (remote_addr or "").strip()
        if not forwarded_for or not self:
            return remote
        entries = [entry.strip() for entry in forwarded_for.split(",")]
        if self.hops:
            return entries[-self.hops - 1] if len(entries) > self.hops else remote
        if not self.trusts(remote):
            return remote
        for entry in reversed(entries):
            if not self.trusts(entry):
                return entry
        return entries[0]


NO_PROXIES = TrustedProxies()


def client_ip(
    remote_addr: str | None,
    forwarded_for: str | None,
    trusted: TrustedProxies = NO_PROXIES,
) -> str:
    """Return the client IP; X-Forwarded-For counts only behind ``trusted``."""
    return trusted.client_ip(remote_addr, forwarded_for)


def strip_port(address: str) -> str:
    """Remove a trailing ``:port`` (IPv4 ``a:p`` or IPv6 ``[a]:p``)."""
    if address.startswith("["):
        return address[1 : address.find("]")] if "]" in address else address
    if address.count(":") == 1:
        return address.split(":", 1)[0]
    return address


# Every request parses its client's address, and realms' allow-lists are
# checked on every authenticated call: both see the same few strings again
# and again, so parsing is memoised (bounded; ipaddress objects are immutable).
@functools.lru_cache(maxsize=8192)
def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Return ``text`` as an IP address, or None when it is not one."""
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def _network(cidr: str) -> Network | None:
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return None


def canonical_ip(text: str) -> str:
    """Return ``text`` in canonical IP form, or unchanged when it is not an IP."""
    ip = parse_ip(text)
    return text if ip is None else str(ip)


def ip_allowed(cidrs: list[str] | None, address: str) -> bool:
    """Say whether ``address`` falls in one of ``cidrs`` (empty list allows all)."""
    if not cidrs:
        return True
    ip = parse_ip(strip_port(address))
    if ip is None:
        return False
    for cidr in cidrs:
        network = _network(cidr)
        if network is None:
            continue  # unparsable entries are skipped, as the original does
        if ip.version == network.version and ip in network:
            return True
    return False
