"""Locust users for bench/load.py: each holds one signed-in session (made once by load.py, so
password hashing stays out of the measurement) and requests one page as fast as the server
answers (no think time), so the number of users bounds the load.

Configured by bench/load.py through the environment: BENCH_PATH (the page), BENCH_NAME (its
label in the statistics), BENCH_COOKIES (JSON list of Cookie headers, one per
user; empty for public pages)."""

import itertools
import json
import os

from locust import FastHttpUser, constant, task

PATH = os.environ["BENCH_PATH"]
NAME = os.environ["BENCH_NAME"]
COOKIES = json.loads(os.environ.get("BENCH_COOKIES") or "[]")
_next_user = itertools.count()


class PageUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        index = next(_next_user)
        self.headers = {"Cookie": COOKIES[index % len(COOKIES)]} if COOKIES else {}

    @task
    def page(self):
        with self.client.get(
            PATH, name=NAME, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
