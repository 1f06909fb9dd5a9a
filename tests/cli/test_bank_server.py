"""Unsealing a running server's bank with custodians' shares, as custodians would from the command line."""

import json
import shutil
import sqlite3
import urllib.error
import urllib.request

import pytest

from conftest import Server, run_assay


@pytest.fixture
def bank_server(demo, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(demo["data"], data)
    server = Server(data)
    yield server, data, demo["accounts"]
    assert server.stop() == 0


def account(accounts, role):
    return next(a for a in accounts if a["role"] == role)


def api(url, path, token=None, body=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url + path, data=None if body is None else json.dumps(body).encode(), headers=headers,
                                     method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def login(url, who):
    return api(url, "/api/v1/auth/login", body={"username": who["username"], "password": who["password"]})[1]["token"]


def test_two_of_five_shares_do_not_unseal_three_do_and_seal_drops_the_key(bank_server):
    server, data, accounts = bank_server
    custodian = account(accounts, "bank_custodian")
    shares = sorted((data / "INSECURE-DEMO-SHARES").glob("share-*.txt"))
    assert len(shares) == 5
    items = json.loads(run_assay("bank", "list", "--json", data=data, check=True).stdout)
    assert len(items) >= 95
    item_id = items[0]["id"]
    token = login(server.url, custodian)
    assert api(server.url, f"/api/v1/items/{item_id}", token)[1]["error"]["code"] == "bank_sealed"

    def unseal(*files):
        args = ["bank", "unseal", "--url", server.url, "--username", custodian["username"], "--password-stdin"]
        for f in files:
            args += ["--share-file", str(f)]
        return run_assay(*args, stdin=custodian["password"] + "\n")

    two = unseal(shares[0], shares[3])
    assert two.returncode == 0, two.stderr
    assert "sealed (2 of 3 shares" in two.stdout
    assert api(server.url, f"/api/v1/items/{item_id}", token)[0] == 409
    three = unseal(shares[1])
    assert three.returncode == 0 and "unsealed" in three.stdout
    status, body = api(server.url, f"/api/v1/items/{item_id}?purpose=acceptance-test", token)
    assert status == 200 and body["content"]["stem"]
    # An examiner never reads items, unsealed or not.
    examiner = login(server.url, account(accounts, "examiner"))
    assert api(server.url, f"/api/v1/items/{item_id}", examiner)[0] == 403
    sealed = run_assay("bank", "seal", "--url", server.url, "--username", custodian["username"], "--password-stdin",
                       stdin=custodian["password"] + "\n")
    assert sealed.returncode == 0 and "sealed" in sealed.stdout
    assert api(server.url, f"/api/v1/items/{item_id}", token)[0] == 409
    tail = run_assay("audit", "tail", "--count", "50", data=data, check=True).stdout
    assert "item.decrypted" in tail and "acceptance-test" in tail and "bank.unsealed" in tail and "bank.sealed" in tail


def test_a_flipped_byte_in_a_stored_item_fails_its_integrity_check(bank_server):
    server, data, accounts = bank_server
    custodian = account(accounts, "bank_custodian")
    shares = [p.read_text().strip() for p in sorted((data / "INSECURE-DEMO-SHARES").glob("share-*.txt"))[:3]]
    token = login(server.url, custodian)
    assert api(server.url, "/api/v1/bank/unseal", token, {"shares": shares})[0] == 200
    items = json.loads(run_assay("bank", "list", "--json", data=data, check=True).stdout)
    victim, neighbour = items[0]["id"], items[1]["id"]
    # Flip one bit of one byte in the middle of the stored ciphertext, behind the server's back.
    connection = sqlite3.connect(data / "assay.sqlite")
    (blob,) = connection.execute("SELECT ciphertext FROM item_version WHERE item_id = ?", (victim,)).fetchone()
    flipped = bytearray(blob)
    flipped[len(flipped) // 2] ^= 0x01
    connection.execute("UPDATE item_version SET ciphertext = ? WHERE item_id = ?", (bytes(flipped), victim))
    connection.commit()
    connection.close()
    status, body = api(server.url, f"/api/v1/items/{victim}", token)
    assert status == 500 and body["error"]["code"] == "integrity_error", body
    assert api(server.url, f"/api/v1/items/{neighbour}", token)[0] == 200


def test_wrong_password_or_share_for_unseal_is_refused_clearly(bank_server):
    server, data, accounts = bank_server
    custodian = account(accounts, "bank_custodian")
    wrong = run_assay("bank", "unseal", "--url", server.url, "--username", custodian["username"], "--password-stdin",
                      stdin="not-my-password\nassay-share-1:00000000:3of5:1:" + "0" * 64 + ":abcd\n")
    assert wrong.returncode == 1 and "wrong username or password" in wrong.stderr
    typo = run_assay("bank", "unseal", "--url", server.url, "--username", custodian["username"], "--password-stdin",
                     stdin=custodian["password"] + "\nassay-share-1:00000000:3of5:1:" + "0" * 64 + ":abcd\n")
    assert typo.returncode == 1 and "mistyped" in typo.stderr
