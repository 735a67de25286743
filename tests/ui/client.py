"""A cookie-keeping wrapper around falcon's TestClient for UI tests."""

from __future__ import annotations

import re
import urllib.parse

from falcon import testing

_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


class UiClient:
    """Drive the UI app like a browser: cookies kept, HTML asked for."""

    def __init__(self, app):
        self.client = testing.TestClient(app)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, **kwargs) -> testing.Result:
        """Send a request with the stored cookies; remember new ones."""
        headers = {"Accept": "text/html", **kwargs.pop("headers", {})}
        result = self.client.simulate_request(
            method, path, cookies=dict(self.cookies), headers=headers, **kwargs
        )
        for name, cookie in result.cookies.items():
            self.cookies[name] = cookie.value
        found = _CSRF.search(result.text or "")
        if found:
            self.csrf = found.group(1)
        return result

    def get(self, path: str, **kwargs) -> testing.Result:
        """GET ``path``."""
        return self.request("GET", path, **kwargs)

    def form(self, path: str, data: dict, *, csrf: bool = True, **kwargs):
        """POST an urlencoded form (with the last seen CSRF token)."""
        if not self.csrf:
            self.get("/")
        fields = {**({"csrf_token": self.csrf} if csrf else {}), **data}
        return self.request(
            "POST",
            path,
            body=urllib.parse.urlencode(fields, doseq=True),
            content_type="application/x-www-form-urlencoded",
            **kwargs,
        )

    def json(self, path: str, body, *, csrf: bool = True) -> testing.Result:
        """POST JSON like the pages' AJAX calls do."""
        headers = {"Accept": "application/json"}
        if csrf:
            headers["X-CSRF-Token"] = self.csrf
        return self.request("POST", path, json=body, headers=headers)

    def follow(self, result: testing.Result) -> testing.Result:
        """GET the Location of a redirect answer (what a browser does next)."""
        assert result.status_code in (301, 302, 303), result.status_code
        location = urllib.parse.urlsplit(result.headers["Location"])
        target = location.path + (f"?{location.query}" if location.query else "")
        return self.get(target)

    def sign_in(self, email: str, password: str) -> testing.Result:
        """Run the password step of sign-in."""
        self.get("/")
        return self.form("/session", {"email": email, "password": password})
