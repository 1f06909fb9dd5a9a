"""The operator's command line, run as a person would run it: real binary, real files, real sqlite3."""

import json
import pathlib
import re
import shutil
import sqlite3
import subprocess
import urllib.error
import urllib.request

import pytest

from conftest import ROOT, Server, free_port, run_assay

COMMANDS = [
    [], ["init"], ["serve"], ["demo"], ["users"], ["users", "add"], ["users", "list"], ["users", "disable"],
    ["users", "enable"], ["users", "occupations"], ["roster"], ["roster", "import"], ["paper"], ["paper", "assemble"], ["paper", "list"], ["paper", "show"],
    ["paper", "seal"], ["paper", "discard"], ["exams"], ["exams", "check"], ["audit"], ["audit", "verify"], ["audit", "checkpoint"],
    ["audit", "tail"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "assay")
def test_every_command_explains_itself(command):
    result = run_assay(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "USAGE:" in result.stdout
    assert len(result.stdout) > 200


def test_shipped_standards_check_clean():
    result = run_assay("exams", "check")
    assert result.returncode == 0, result.stderr
    assert "2-02-10-09" in result.stdout and "2-02-10-11" in result.stdout


def test_weights_summing_to_99_are_rejected_naming_file_and_path(tmp_path):
    source = (ROOT / "Exams" / "2-02-10-09.yaml").read_text(encoding="utf-8")
    broken, count = re.subn(r"basic: \{B1: 5, B2: 20\}", "basic: {B1: 4, B2: 20}", source, count=1)
    assert count == 1
    copy = tmp_path / "ai-copy.yaml"
    copy.write_text(broken, encoding="utf-8")
    result = run_assay("exams", "check", str(copy))
    assert result.returncode != 0
    assert str(copy) in result.stderr
    assert re.search(r"weights\.theory\[\d+\]", result.stderr)
    assert "sum to 99, not 100" in result.stderr


def test_malformed_yaml_is_rejected_with_a_line(tmp_path):
    copy = tmp_path / "bad.yaml"
    copy.write_text("schema: 1\ncode: [oops\n", encoding="utf-8")
    result = run_assay("exams", "check", str(copy))
    assert result.returncode == 1
    assert re.search(r"bad\.yaml:\d+: YAML syntax error", result.stderr)


def test_init_refuses_an_initialised_directory(data_dir):
    before = (data_dir / "assay.sqlite").stat().st_size
    result = run_assay("init", data=data_dir)
    assert result.returncode == 1
    assert "already initialised" in result.stderr
    assert (data_dir / "keys" / "body-signing.key").stat().st_mode & 0o777 == 0o600
    assert (data_dir / "assay.sqlite").stat().st_size == before


def test_commands_on_a_missing_directory_say_what_to_do(tmp_path):
    result = run_assay("users", "list", data=tmp_path / "nowhere")
    assert result.returncode == 1
    assert "assay init" in result.stderr


def test_users_add_list_disable_enable(data_dir):
    added = run_assay("users", "add", "wangmin", "--name", "王敏", "--role", "exam_admin", "--role", "examiner",
                      "--password-stdin", data=data_dir, stdin="a-long-and-unusual-passphrase\n")
    assert added.returncode == 0, added.stderr
    generated = run_assay("users", "add", "lina", "--name", "李娜", "--role", "supervisor", "--generate-password", data=data_dir)
    assert generated.returncode == 0, generated.stderr
    password = re.search(r"Password \(shown once\): (\S+)", generated.stdout).group(1)
    assert len(password) >= 20
    listed = json.loads(run_assay("users", "list", "--json", data=data_dir, check=True).stdout)
    assert [(u["username"], u["roles"], u["disabled"]) for u in listed] == [
        ("lina", "supervisor", "false"), ("wangmin", "exam_admin,examiner", "false")]
    assert run_assay("users", "disable", "wangmin", data=data_dir).returncode == 0
    listed = json.loads(run_assay("users", "list", "--json", data=data_dir, check=True).stdout)
    assert listed[1]["disabled"] == "true"
    assert run_assay("users", "enable", "WangMin", data=data_dir).returncode == 0
    assert run_assay("users", "disable", "nobody", data=data_dir).returncode == 1
    # Every change is on the record, and the record is intact.
    tail = run_assay("audit", "tail", data=data_dir, check=True).stdout
    for action in ["account.created", "account.disabled", "account.enabled"]:
        assert action in tail
    assert run_assay("audit", "verify", data=data_dir).returncode == 0


def test_staff_occupations_are_set_shown_and_audited(data_dir):
    added = run_assay("users", "add", "zhaolei", "--name", "赵磊", "--role", "item_author", "--occupation", "2-02-10-09",
                      "--generate-password", data=data_dir)
    assert added.returncode == 0, added.stderr
    assert "occupations 2-02-10-09" in added.stdout
    shown = run_assay("users", "occupations", "zhaolei", data=data_dir, check=True)
    assert "zhaolei: 2-02-10-09" in shown.stdout
    changed = run_assay("users", "occupations", "zhaolei", "--set", "2-02-10-11,2-02-10-09", data=data_dir, check=True)
    assert "2-02-10-09, 2-02-10-11" in changed.stdout
    listed = json.loads(run_assay("users", "list", "--json", data=data_dir, check=True).stdout)
    assert listed[0]["occupations"] == "2-02-10-09,2-02-10-11"
    refused = run_assay("users", "occupations", "zhaolei", "--set", "1-23-45-67", data=data_dir)
    assert refused.returncode == 1 and "unknown occupation '1-23-45-67'" in refused.stderr
    assert "2-02-10-09, 2-02-10-11" in run_assay("users", "occupations", "zhaolei", data=data_dir, check=True).stdout
    cleared = run_assay("users", "occupations", "zhaolei", "--set", "", data=data_dir, check=True)
    assert "no occupations" in cleared.stdout
    assert run_assay("audit", "tail", data=data_dir, check=True).stdout.count("account.occupations_set") == 2


@pytest.mark.parametrize("args,stdin,message", [
    (["dup", "--name", "D", "--role", "examiner", "--password-stdin"], "another-long-passphrase\n", "already taken"),
    (["weak", "--name", "W", "--role", "examiner", "--password-stdin"], "password\n", "commonly used"),
    (["short", "--name", "S", "--role", "examiner", "--password-stdin"], "abc123\n", "at least 8"),
    (["wiz", "--name", "W", "--role", "wizard", "--password-stdin"], "another-long-passphrase\n", "unknown role 'wizard'"),
    (["两个字", "--name", "X", "--role", "examiner", "--password-stdin"], "another-long-passphrase\n", "username"),
    (["both", "--name", "B", "--role", "examiner", "--password-stdin", "--generate-password"], "", "exactly one"),
    (["occ", "--name", "O", "--role", "item_author", "--occupation", "2-02-10-99", "--password-stdin"],
     "another-long-passphrase\n", "unknown occupation '2-02-10-99'"),
])
def test_bad_accounts_are_refused_and_change_nothing(data_dir, args, stdin, message):
    run_assay("users", "add", "dup", "--name", "D", "--role", "examiner", "--password-stdin",
              data=data_dir, stdin="first-long-passphrase\n", check=True)
    entries_before = run_assay("audit", "tail", "--count", "1000", data=data_dir, check=True).stdout.count("\n")
    result = run_assay("users", "add", *args, data=data_dir, stdin=stdin)
    assert result.returncode != 0
    assert message in result.stderr
    assert "passphrase" not in result.stderr
    listed = json.loads(run_assay("users", "list", "--json", data=data_dir, check=True).stdout)
    assert [u["username"] for u in listed] == ["dup"]
    assert run_assay("audit", "tail", "--count", "1000", data=data_dir, check=True).stdout.count("\n") == entries_before


def test_audit_verify_passes_then_names_the_entry_after_one_byte_changes(demo, tmp_path):
    data = tmp_path / "copy"
    shutil.copytree(demo["data"], data)
    ok = run_assay("audit", "verify", data=data)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("ok:")
    # One byte of one row, changed with the sqlite3 tool.
    subprocess.run(["sqlite3", str(data / "assay.sqlite"),
                    "UPDATE audit_entry SET payload = replace(payload, 'examadmin', 'exbmadmin') WHERE seq = "
                    "(SELECT min(seq) FROM audit_entry WHERE payload LIKE '%examadmin%')"], check=True)
    seq = subprocess.run(["sqlite3", str(data / "assay.sqlite"),
                          "SELECT seq FROM audit_entry WHERE payload LIKE '%exbmadmin%'"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert seq
    bad = run_assay("audit", "verify", data=data)
    assert bad.returncode == 1
    assert f"entry {seq}:" in bad.stderr
    assert "altered" in bad.stderr


def test_audit_verify_detects_a_deleted_entry_and_a_foreign_key(demo, tmp_path):
    data = tmp_path / "copy"
    shutil.copytree(demo["data"], data)
    subprocess.run(["sqlite3", str(data / "assay.sqlite"), "DELETE FROM audit_entry WHERE seq = 3"], check=True)
    bad = run_assay("audit", "verify", data=data)
    assert bad.returncode == 1 and "entry 3:" in bad.stderr
    malformed = run_assay("audit", "verify", "--public-key", "zz", data=demo["data"])
    assert malformed.returncode == 1 and "64 hex" in malformed.stderr


def test_no_password_or_token_in_the_database_in_clear(demo, demo_server):
    account = demo["accounts"][0]
    body = json.dumps({"username": account["username"], "password": account["password"]}).encode()
    request = urllib.request.Request(demo_server.url + "/api/v1/auth/login", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        token = json.load(response)["token"]
    for suffix in ["assay.sqlite", "assay.sqlite-wal"]:
        path = demo["data"] / suffix
        if path.exists():
            raw = path.read_bytes()
            for secret in [token] + [a["password"] for a in demo["accounts"]]:
                assert secret.encode() not in raw, f"{secret[:4]}… found in {suffix}"
    dump = subprocess.run(["sqlite3", str(demo["data"] / "assay.sqlite"), ".dump"], capture_output=True, text=True).stdout
    assert token not in dump
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in dump


def post_login(url, username, password):
    body = json.dumps({"username": username, "password": password}).encode()
    request = urllib.request.Request(url + "/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def test_ten_wrong_passwords_in_a_row_get_429_over_real_http(data_dir):
    run_assay("users", "add", "target", "--name", "T", "--role", "examiner", "--password-stdin",
              data=data_dir, stdin="the-right-passphrase\n", check=True)
    server = Server(data_dir)
    try:
        results = [post_login(server.url, "target", f"wrong-guess-{i}") for i in range(10)]
        statuses = [status for status, _, _ in results]
        assert statuses[:5] == [401] * 5
        assert statuses[-1] == 429
        status, headers, body = results[-1]
        assert int(headers["Retry-After"]) > 0
        assert body["error"]["code"] == "too_many_attempts"
    finally:
        assert server.stop() == 0


def test_a_taken_port_gives_a_message_and_exit_status_3(data_dir):
    with __import__("socket").socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen(1)
        port = blocker.getsockname()[1]
        result = run_assay("serve", "--port", str(port), data=data_dir, timeout=60)
    assert result.returncode == 3, result.stderr
    assert f"port {port}" in result.stderr and "already in use" in result.stderr
    assert "Fatal error" not in result.stderr


def test_graceful_shutdown_writes_a_signed_checkpoint(data_dir):
    server = Server(data_dir)
    assert server.stop() == 0
    log = server.output()
    assert "open-file limit" in log
    verify = run_assay("audit", "verify", data=data_dir)
    assert verify.returncode == 0
    assert re.search(r"[1-9]\d* signed checkpoints", verify.stdout), verify.stdout
    # The start is on the record with the digest of each standard served.
    started = [line for line in run_assay("audit", "tail", data=data_dir, check=True).stdout.splitlines() if "node.started" in line]
    assert len(started) == 1
    assert re.search(r'"2-02-10-09":"[0-9a-f]{64}"', started[0])


def test_demo_prints_the_url_and_serves(tmp_path):
    port = free_port()
    process = subprocess.Popen([run_assay.__globals__["assay_bin"](), "demo", "--data", str(tmp_path / "d"), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "http://" in line:
                break
        text = "".join(lines)
        assert f"http://127.0.0.1:{port}/" in text
        assert "admin" in text and "candidate" in text
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            assert "Assay" in response.read().decode()
    finally:
        process.terminate()
        assert process.wait(timeout=20) == 0


def test_cross_site_cookie_requests_are_refused_over_real_http(demo, demo_server):
    admin = next(a for a in demo["accounts"] if a["role"] == "body_admin")
    status, headers, body = post_login(demo_server.url, admin["username"], admin["password"])
    assert status == 200
    cookie = headers["Set-Cookie"].split(";")[0]
    host = demo_server.url.removeprefix("http://")

    def logout(origin):
        request = urllib.request.Request(demo_server.url + "/api/v1/auth/logout", data=b"", method="POST",
                                         headers={"Cookie": cookie, "Origin": origin})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    assert logout("http://evil.example") == 403
    assert logout(f"http://{host}") == 204


def test_demo_refuses_a_real_bodys_directory(data_dir):
    before = json.loads(run_assay("users", "list", "--json", data=data_dir, check=True).stdout)
    result = run_assay("demo", "--no-serve", data=data_dir)
    assert result.returncode == 1
    assert "belongs to a real body" in result.stderr
    assert json.loads(run_assay("users", "list", "--json", data=data_dir, check=True).stdout) == before


def test_audit_verify_changes_nothing_it_verifies(demo, tmp_path):
    data = tmp_path / "copy"
    shutil.copytree(demo["data"], data)
    # The database and its write-ahead log are the record; -shm is SQLite's rebuildable index.
    record = ["assay.sqlite", "assay.sqlite-wal"]
    before = {name: (data / name).read_bytes() for name in record if (data / name).exists()}
    assert run_assay("audit", "verify", data=data).returncode == 0
    assert run_assay("audit", "tail", data=data).returncode == 0
    after = {name: (data / name).read_bytes() for name in record if (data / name).exists()}
    if "assay.sqlite-wal" not in before and after.get("assay.sqlite-wal") == b"":
        del after["assay.sqlite-wal"]  # SQLite may create an empty log to read a WAL database
    assert after == before


def test_verify_with_the_published_public_key(demo, tmp_path):
    published = run_assay("audit", "public-key", data=demo["data"], check=True).stdout.split()[0]
    assert re.fullmatch(r"[0-9a-f]{64}", published)
    ok = run_assay("audit", "verify", "--public-key", published, data=demo["data"])
    assert ok.returncode == 0 and "given public key" in ok.stdout
    other = run_assay("init", data=tmp_path / "other", check=True)
    foreign = run_assay("audit", "public-key", data=tmp_path / "other", check=True).stdout.split()[0]
    bad = run_assay("audit", "verify", "--public-key", foreign, data=demo["data"])
    assert bad.returncode == 1 and "not validly signed" in bad.stderr


def test_one_address_guessing_many_accounts_is_throttled_over_real_http(data_dir):
    server = Server(data_dir)
    try:
        statuses = [post_login(server.url, f"user{i}", "some-guess-123")[0] for i in range(20)]
        assert statuses == [401] * 20
        status, headers, body = post_login(server.url, "someone-else", "another-guess")
        assert status == 429 and body["error"]["code"] == "too_many_attempts"
        assert int(headers["Retry-After"]) > 0
    finally:
        assert server.stop() == 0
