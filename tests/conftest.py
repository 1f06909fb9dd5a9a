"""Shared fixtures: the assay binary, fresh data directories and a live demo server.

The server is the real one: a real SQLite file, real Argon2, a real TCP port on loopback.
Set ASSAY_BIN to test another build (default: .build/debug/assay).
"""

import os
import pathlib
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ROLE_CODES = ["body_admin", "exam_admin", "item_author", "bank_custodian", "examiner", "supervisor", "candidate"]


def assay_bin() -> str:
    path = os.environ.get("ASSAY_BIN", str(ROOT / ".build" / "debug" / "assay"))
    assert os.path.exists(path), f"{path} does not exist: build first (make build)"
    return path


def run_assay(*args, data=None, stdin=None, check=False, timeout=120):
    """Runs the CLI from the repository root; returns the CompletedProcess."""
    command = [assay_bin(), *args]
    if data is not None:
        command += ["--data", str(data)]
    result = subprocess.run(command, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_demo_accounts(stdout: str):
    """Reads the demo logins the way a person would: from what `assay demo` printed."""
    accounts = []
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[1] in ROLE_CODES:
            accounts.append({"role": parts[1], "username": parts[2], "password": parts[3]})
    return accounts


class Server:
    """A running `assay serve`, stopped with SIGTERM."""

    def __init__(self, data, port=None, extra=()):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(pathlib.Path(data).parent / f"server-{self.port}.log", "w+")
        self.process = subprocess.Popen(
            [assay_bin(), "serve", "--data", str(data), "--port", str(self.port), *extra],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, text=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("server did not become healthy in 30 s:\n" + self.output())

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def api_call(url, path, token=None, body=None):
    """A JSON API call; POST when there is a body. Raises urllib's HTTPError on an error status."""
    import json
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url + path, data=None if body is None else json.dumps(body).encode(), headers=headers)
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def api_status_call(url, path, token=None, body=None, timeout=60):
    """A JSON API call outside the browser (bearer token); POST when there is a body.
    Returns (status, body) for success and error statuses alike."""
    import json
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url + path, data=None if body is None else json.dumps(body).encode(), headers=headers,
        method="GET" if body is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def login_token(url, account):
    """Logs an account (a dict with username and password) in over the API; returns its token."""
    status, body = api_status_call(url, "/api/v1/auth/login", body={"username": account["username"], "password": account["password"]})
    assert status == 200, body
    return body["token"]


def read_demo_shares(data):
    """The INSECURE demo custodian shares that `assay demo` wrote under DATA, in share-number order."""
    folder = data / "INSECURE-DEMO-SHARES"
    files = sorted(folder.glob("share-*.txt"), key=lambda path: int(path.stem.split("-")[-1]))
    assert len(files) >= 3, f"expected demo shares in {folder}"
    return [path.read_text(encoding="utf-8").strip() for path in files]


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """A demo data directory seeded by `assay demo --no-serve`, and the logins it printed."""
    data = tmp_path_factory.mktemp("demo") / "data"
    result = run_assay("demo", "--no-serve", data=data, check=True)
    accounts = parse_demo_accounts(result.stdout)
    assert sorted(a["role"] for a in accounts) == sorted(ROLE_CODES), result.stdout
    return {"data": data, "accounts": accounts}


@pytest.fixture(scope="session")
def demo_server(demo):
    server = Server(demo["data"])
    yield server
    code = server.stop()
    assert code == 0, f"server did not shut down cleanly ({code}):\n{server.output()}"


@pytest.fixture(scope="session")
def server_url(demo_server):
    return demo_server.url


@pytest.fixture(scope="session")
def demo_accounts(demo):
    return demo["accounts"]


@pytest.fixture
def data_dir(tmp_path):
    """A fresh, initialised data directory."""
    data = tmp_path / "data"
    run_assay("init", "--body-name", "测试评价机构", "--body-code", "T01", data=data, check=True)
    return data
