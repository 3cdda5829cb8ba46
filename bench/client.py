"""A signed-in HTTP client for the page measurements (session for pages, token for the API)."""

import time

import requests


class Client:
    def __init__(self, base: str, username: str, password: str, token: str | None = None):
        self.base, self.username = base, username
        self.session = requests.Session()
        page = self.session.get(f"{base}/accounts/login/", timeout=60)
        page.raise_for_status()
        response = self.session.post(f"{base}/accounts/login/", allow_redirects=False, timeout=60, data={
            "username": username, "password": password, "csrfmiddlewaretoken": self.session.cookies["csrftoken"]})
        if response.status_code != 302:
            raise RuntimeError(f"login of {username} failed: HTTP {response.status_code}")
        self.token = token
        self.api_session = requests.Session()  # token only, as an API client calls
        if token:
            self.api_session.headers["Authorization"] = f"Token {token}"

    def get(self, path: str, *, api: bool = False) -> dict:
        headers = {"Accept": "application/json"} if api else {}
        session = self.api_session if api and self.token else self.session
        started = time.perf_counter()
        response = session.get(f"{self.base}{path}", headers=headers, timeout=120, allow_redirects=False)
        elapsed = (time.perf_counter() - started) * 1000
        return {"ms": elapsed, "status": response.status_code, "bytes": len(response.content),
                "queries": int(response.headers.get("X-Bench-Queries", -1)),
                "server_ms": float(response.headers.get("X-Bench-Ms", -1)),
                "cpu_ms": float(response.headers.get("X-Bench-Cpu-Ms", -1))}
