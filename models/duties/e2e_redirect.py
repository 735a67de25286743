"""The e2e prober's redirect round: association files and store redirects.

It reads the enx-redirect surface as a phone would (operations §7): both
association files must name the e2e realm's apps, and ``GET /`` must send
an Android phone to the Android app, an iPhone to the iOS app and anything
else to the Exposure Notifications landing page, with a 303 that is not
followed. ``host`` overrides the Host header so one local redirector can
answer for the e2e realm's region.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from models.duties.e2e import E2EFailure, RoundResult
from models.redirect.rules import EN_LANDING_URL

TIMEOUT = 30.0
# User agent -> what the 303 Location must contain.
EXPECTED_LOCATIONS = {
    "android": "android.test.app",
    "iphone": "ios.test.app",
    "unknown": EN_LANDING_URL.rstrip("/"),
}


def _assetlinks(data) -> str:
    if not isinstance(data, list) or not data:
        return "assetlinks.json is not a non-empty array"
    target = data[0].get("target") if isinstance(data[0], dict) else None
    if not isinstance(target, dict) or not target.get("package_name"):
        return "assetlinks.json has no target.package_name"
    return ""


def _apple(data) -> str:
    if not isinstance(data, dict):
        return "apple-app-site-association is not an object"
    details = (data.get("applinks") or {}).get("details")
    return "" if details else "apple-app-site-association has no applinks.details"


def run_redirect_round(
    base_url: str,
    *,
    host: str = "",
    timer: Callable[[], float] = time.perf_counter,
    transport: httpx.BaseTransport | None = None,
) -> RoundResult:
    """Check the redirector end to end; raise E2EFailure at the first bad step."""
    result = RoundResult("enx-redirect")
    headers = {"Host": host} if host else {}
    with httpx.Client(
        base_url=base_url.rstrip("/"),
        timeout=TIMEOUT,
        follow_redirects=False,
        headers=headers,
        transport=transport,
    ) as client:

        def step(label: str, check) -> None:
            started = timer()
            try:
                problem = check()
            except (httpx.HTTPError, ValueError) as ex:
                problem = f"{type(ex).__name__}: {ex}"
            result.timings[label] = round((timer() - started) * 1000, 3)
            if problem:
                raise E2EFailure(label, problem, dict(result.timings))

        def document(path: str, check) -> Callable[[], str]:
            def run() -> str:
                resp = client.get(path)
                if resp.status_code != 200:
                    return f"{path} answered {resp.status_code}"
                return check(resp.json())

            return run

        def location(agent: str, expected: str) -> Callable[[], str]:
            def run() -> str:
                resp = client.get("/", headers={"User-Agent": agent})
                where = resp.headers.get("Location", "")
                if resp.status_code != 303:
                    return f"GET / as {agent!r} answered {resp.status_code}, not 303"
                if expected not in where:
                    return f"GET / as {agent!r} went to {where!r}, not {expected!r}"
                return ""

            return run

        step("assetlinks", document("/.well-known/assetlinks.json", _assetlinks))
        step(
            "apple-app-site-association",
            document("/.well-known/apple-app-site-association", _apple),
        )
        for agent, expected in EXPECTED_LOCATIONS.items():
            step(f"redirect:{agent}", location(agent, expected))
    return result
