"""Behind a reverse proxy (docs/DEPLOYMENT.md): the client's address comes from X-Forwarded-For
only when the request comes from a proxy named with --trusted-proxy; otherwise the header is
ignored, so nobody can choose the address their failed sign-ins are recorded and throttled under."""

import json
import sqlite3
import urllib.error
import urllib.request

from conftest import Server, run_assay


def failed_sit_login(url, forwarded):
    request = urllib.request.Request(
        url + "/api/v1/sit/login", data=json.dumps({"ticket": "K7Q2M9XD3F8W", "idNumber": "11010119900101100X"}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded}, method="POST",
    )
    try:
        urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as error:
        assert error.code == 401
        return
    raise AssertionError("a wrong ticket was accepted")


def recorded_addresses(data):
    connection = sqlite3.connect(f"file:{data / 'assay.sqlite'}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT payload FROM audit_entry WHERE action = 'sit.login_failed' ORDER BY seq").fetchall()
    finally:
        connection.close()
    return [json.loads(payload)["address"] for payload, in rows]


def test_forwarded_for_counts_only_from_a_trusted_proxy(tmp_path):
    data = tmp_path / "data"
    run_assay("init", "--body-name", "测试评价机构", data=data, check=True)
    trusted = Server(data, extra=("--trusted-proxy", "127.0.0.1"))
    try:
        failed_sit_login(trusted.url, "198.51.100.7, 203.0.113.9")
    finally:
        trusted.stop()
    untrusted = Server(data)
    try:
        failed_sit_login(untrusted.url, "203.0.113.9")
    finally:
        untrusted.stop()
    # The proxy's own entry (the last) is the client; without the option the peer is.
    assert recorded_addresses(data) == ["203.0.113.9", "127.0.0.1"]
