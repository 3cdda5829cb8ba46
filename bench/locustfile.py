"""Deadline rush (locust, headless, 127.0.0.1 only, bounded by --run-time): agency heads sign in, open their QMS
file and submit their report; then, until the run ends, they keep reading their file and their report. Every
click is followed by a think time (BENCH_THINK_MIN..MAX seconds).

`BENCH_RUSH_USERS` is a JSON file: [{"username", "agency_id", "report_id" (or null)}, ...], one per virtual user.
`BENCH_PASSWORD` is their password. Without a report (the reports app not there yet) the submit step is a
write to the QMS file instead (a training session recorded through the API).

`BareUser` is the anchor: the same number of requests with the same think time, every one to the bare view.
"""

import itertools
import json
import os
from datetime import date

from locust import HttpUser, between, task

THINK = (float(os.environ.get("BENCH_THINK_MIN", "3")), float(os.environ.get("BENCH_THINK_MAX", "10")))
_users = json.loads(open(os.environ["BENCH_RUSH_USERS"]).read()) if os.environ.get("BENCH_RUSH_USERS") else []
_next = itertools.count()


class AgencyHead(HttpUser):
    wait_time = between(*THINK)

    def on_start(self):
        me = _users[next(_next) % len(_users)]
        self.agency_id, self.report_id, self.submitted = me["agency_id"], me.get("report_id"), False
        self.client.get("/accounts/login/", name="login page")
        with self.client.post("/accounts/login/", name="login", allow_redirects=False, catch_response=True, data={
                "username": me["username"], "password": os.environ["BENCH_PASSWORD"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}) as response:
            if response.status_code != 302:
                response.failure(f"login: HTTP {response.status_code}")

    def _csrf(self) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host}

    @task
    def rush(self):
        self.client.get(f"/agencies/{self.agency_id}/qms/", name="open QMS file")
        self.wait()
        if self.report_id and not self.submitted:
            with self.client.post(f"/api/v1/agency-reports/{self.report_id}/submit/", name="submit report",
                                  headers=self._csrf(), json={}, catch_response=True) as response:
                if response.status_code == 200:
                    self.submitted = True
                else:
                    response.failure(f"submit: HTTP {response.status_code} {response.text[:200]}")
        elif self.report_id:
            self.client.get(f"/api/v1/agency-reports/{self.report_id}/", name="read report")
        else:
            with self.client.post(f"/api/v1/agencies/{self.agency_id}/trainings/", name="QMS write (training)",
                                  headers=self._csrf(), catch_response=True,
                                  json={"held_on": date.today().isoformat(), "topic": "Tập huấn trước hạn báo cáo",
                                        "attendees": 12}) as response:
                if response.status_code != 201:
                    response.failure(f"write: HTTP {response.status_code} {response.text[:200]}")


class BareUser(HttpUser):
    """The same shape of load (2 requests to start, then a request per think time), all to the bare view."""

    wait_time = between(*THINK)

    def on_start(self):
        self.client.get("/bench/bare/", name="bare (login page)")
        self.client.get("/bench/bare/", name="bare (login)")

    @task
    def rush(self):
        self.client.get("/bench/bare/", name="bare (file)")
        self.wait()
        self.client.get("/bench/bare/", name="bare (submit)")
