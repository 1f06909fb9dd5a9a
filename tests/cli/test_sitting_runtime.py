"""The sitting runtime over a real WebSocket (docs/PROTOCOL.md), against a live server.

The standards are copied with a two-minute theory part (no earliest hand-in, one minute of late
entry) so a whole sitting fits in a test: papers are assembled and sealed with the demo's
custodian shares, a sitting is published starting a few seconds ahead, candidates sign in with
their admission tickets, wait, get the paper at the start, save, reconnect, hand in or are
handed in by the server at the deadline. Everything acknowledged is then read from the database.
"""

import asyncio
import base64
import datetime
import json
import re
import shutil
import sqlite3
import time

import pytest
import websockets
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
import websockets.exceptions

from conftest import ROOT, Server, api_status_call, read_demo_shares, run_assay

PLATFORM = "人工智能平台产品实现"
DEMO_ID = "11010119900101100X"  # the demo candidate 孙悦's 居民身份证 number


def short_exams(tmp_path, minutes=2, late=1):
    """The standards with short parts (`minutes`, late entry `late`, no earliest hand-in)."""
    exams = tmp_path / "Exams"
    shutil.copytree(ROOT / "Exams", exams)
    path = exams / "2-02-10-09.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"duration_minutes: (90|120)\n", f"duration_minutes: {minutes}\n", text)
    text = text.replace("earliest_hand_in_minutes: 30", "earliest_hand_in_minutes: 0").replace("late_entry_minutes: 15", f"late_entry_minutes: {late}")
    path.write_text(text, encoding="utf-8")
    return exams


def login(url, username, password):
    status, body = api_status_call(url, "/api/v1/auth/login", body={"username": username, "password": password})
    assert status == 200, body
    return body["token"]


def prepare(tmp, start_in=12, minutes=2, late=1, policy=None, part="theory", setup=None):
    """A demo data directory with sealed papers, a live server with the bank unsealed, and a
    published sitting of the demo's approved candidates starting `start_in` seconds ahead.
    `policy`: the text of Exams/proctoring/policy.yaml to serve with (the shipped one by default).
    `part`: "ability" for a practical sitting (one practical task; examiners are added for its panel).
    `setup(data, exams)`: runs after the demo is seeded, before papers are assembled."""
    exams = short_exams(tmp, minutes, late)
    if policy is not None:
        (exams / "proctoring" / "policy.yaml").write_text(policy, encoding="utf-8")
    data = tmp / "data"
    run_assay("demo", "--no-serve", "--exams", str(exams), data=data, check=True)
    if setup is not None:
        setup(data, exams)
    if part == "ability":
        # A practical panel needs an examiner per five candidates: more than the demo has.
        for n in range(8):
            run_assay("users", "add", f"panel{n}", "--name", f"考评员{n}", "--role", "examiner", "--password-stdin",
                      data=data, stdin="panel-examiner-4711\n", check=True)
    forms = "2" if part == "theory" else "1"
    assembled = run_assay(
        "paper", "assemble", "--exam", "2-02-10-09", "--level", "初级", "--direction", PLATFORM, "--part", part,
        # A practical task needs its full time: assembled against the real standards, served short.
        "--forms", forms, "--seed", "3", "--save", "--exams", str(exams if part == "theory" else ROOT / "Exams"),
        "--blueprints", str((exams if part == "theory" else ROOT / "Exams") / "blueprints"), data=data, check=True,
    )
    assembly = re.search(r"Saved as (ASM-\d{8}-[0-9A-F]{6})", assembled.stdout).group(1)
    shares = sorted((data / "INSECURE-DEMO-SHARES").glob("share-*.txt"))[:3]
    run_assay("paper", "seal", assembly, *sum((["--share-file", str(s)] for s in shares), []), data=data, check=True)

    server = Server(data, extra=("--exams", str(exams)))
    url = server.url
    custodian = login(url, "custodian", "silver-key-5086")
    status, body = api_status_call(url, "/api/v1/bank/unseal", custodian, {"shares": read_demo_shares(data)[:3]})
    assert status == 200 and not body["bank"]["sealed"], body

    admin = login(url, "examadmin", "amber-field-3390")
    starts = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=start_in)
    status, body = api_status_call(url, "/api/v1/sittings", admin, {
        "occupation": "2-02-10-09", "level": "初级", "direction": PLATFORM, "part": part,
        "startsAt": starts.isoformat(timespec="seconds"), "venue": "在线考点", "rooms": [{"name": "线上1", "capacity": 40}],
    })
    assert status == 201, body
    sitting = body["sitting"]["id"]
    for path, payload in [("place", {}), ("staff", {"draw": True})]:
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/{path}", admin, payload)
        assert status == 200, body
    _, staff = api_status_call(url, "/api/v1/staff", admin)
    supervisor = next(s["id"] for s in staff["staff"] if "supervisor" in s["roles"])
    api_status_call(url, f"/api/v1/sittings/{sitting}/supervisors", admin, {"supervisors": [supervisor]})
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/publish", admin, {})
    assert status == 200, body
    papers = [f"{assembly}-F1", f"{assembly}-F2"] if part == "theory" else [f"{assembly}-F1"]
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/papers", admin, {"papers": papers})
    assert status == 200, body
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/tickets", admin)
    return {"url": url, "data": data, "exams": exams, "sitting": sitting, "tickets": body["tickets"], "admin": admin, "starts": starts, "server": server}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    prepared = prepare(tmp_path_factory.mktemp("runtime"))
    yield prepared
    prepared["server"].stop()


def ws_url(url, ticket):
    return url.replace("http://", "ws://") + f"/api/v1/sit/ws?ticket={ticket}"


def sit_login(url, ticket):
    status, body = api_status_call(url, "/api/v1/sit/login", body={"ticket": ticket["code"].lower().replace("-", " "), "idNumber": ticket["candidate"]["idNumber"]})
    assert status == 200, body
    return body["token"]


def ws_ticket(url, sitting, token):
    status, body = api_status_call(url, f"/api/v1/sit/{sitting}/connect", token, {})
    assert status == 200, body
    return body["wsTicket"]


async def receive(socket, kind, timeout=30):
    """The next message of a type, skipping time updates and others."""
    deadline = time.monotonic() + timeout
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout=max(0.1, deadline - time.monotonic())))
        if message["type"] == kind:
            return message


async def receive_paper(socket, timeout=40):
    """The candidate's paper: sent sealed while waiting and opened with the key sent at the start
    (docs/PROTOCOL.md), or sent in clear to a client without a sealed copy."""
    deadline = time.monotonic() + timeout
    box = None
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout=max(0.1, deadline - time.monotonic())))
        if message["type"] == "sealedPaper":
            assert message["algorithm"] == "AES-256-GCM"
            box = base64.b64decode(message["box"])
        elif message["type"] == "paperKey":
            assert box is not None, "a key came without a sealed paper"
            opened = AESGCM(base64.b64decode(message["key"])).decrypt(box[:12], box[12:], None)
            paper = json.loads(opened)
            assert paper["type"] == "paper"
            return paper
        elif message["type"] == "paper":
            return message


def answer_for(item):
    if item["type"] == "single_choice":
        return {"choice": item["options"][0]["letter"]}
    if item["type"] == "multiple_choice":
        return {"choices": [item["options"][0]["letter"], item["options"][1]["letter"]]}
    if item["type"] == "true_false":
        return {"value": True}
    if item["type"] == "fill_in":
        return {"blanks": ["答案"] * item["blanks"]}
    return {"text": "我的回答"}


def stored_answers(data, sitting, candidate):
    connection = sqlite3.connect(f"file:{data / 'assay.sqlite'}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT item_key, seq, answer FROM answer WHERE sitting_id = ? AND candidate_id = ?", (sitting, candidate)
        ).fetchall()
    finally:
        connection.close()
    return {key: (seq, json.loads(answer) if answer else None) for key, seq, answer in rows}


def candidate_id(live, ticket):
    status, body = api_status_call(live["url"], f"/api/v1/sittings/{live['sitting']}", live["admin"])
    return next(cid for cid, person in body["people"].items() if person["name"] == ticket["candidate"]["name"] and person.get("idNumber") == ticket["candidate"]["idNumber"])


def test_sign_in_needs_the_right_id_number_and_a_real_code(live):
    ticket = live["tickets"][0]
    status, body = api_status_call(live["url"], "/api/v1/sit/login", body={"ticket": ticket["code"], "idNumber": "110101199001011009"})
    assert status == 401 and body["error"]["code"] == "wrong_ticket"
    status, body = api_status_call(live["url"], "/api/v1/sit/login", body={"ticket": "not-a-code", "idNumber": ticket["candidate"]["idNumber"]})
    assert status == 400 and body["error"]["code"] == "bad_ticket"
    token = sit_login(live["url"], ticket)
    other = next(s for s in api_status_call(live["url"], "/api/v1/sittings", live["admin"])[1]["sittings"] if s["id"] != live["sitting"])
    status, body = api_status_call(live["url"], f"/api/v1/sit/{other['id']}/connect", token, {})
    assert status == (200 if any(t["sitting"]["id"] == other["id"] for t in api_status_call(live["url"], "/api/v1/tickets/mine", token)[1]["tickets"]) else 404)


def test_a_forged_or_reused_ws_ticket_and_a_foreign_origin_are_refused(live):
    async def scenario():
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            async with websockets.connect(ws_url(live["url"], "forged-ticket")):
                pass
        assert refused.value.response.status_code == 400
        token = sit_login(live["url"], live["tickets"][1])
        ticket = ws_ticket(live["url"], live["sitting"], token)
        with pytest.raises(websockets.exceptions.InvalidStatus):
            async with websockets.connect(ws_url(live["url"], ticket), origin="https://evil.example"):
                pass
        async with websockets.connect(ws_url(live["url"], ticket)) as socket:
            welcome = await receive(socket, "welcome")
            assert welcome["protocol"] == 1
        with pytest.raises(websockets.exceptions.InvalidStatus):
            async with websockets.connect(ws_url(live["url"], ticket)):
                pass
    asyncio.run(scenario())


def test_a_whole_sitting_over_the_socket(live):
    url, sitting = live["url"], live["sitting"]
    ticket = next(t for t in live["tickets"] if t["candidate"]["idNumber"] == DEMO_ID)
    token = sit_login(url, ticket)
    acknowledged = {}

    async def scenario():
        async with websockets.connect(ws_url(url, ws_ticket(url, sitting, token))) as socket:
            welcome = await receive(socket, "welcome")
            assert welcome["state"] in ("waiting", "answering") and welcome["candidate"]["seat"] == ticket["seat"]
            if welcome["state"] == "waiting":
                # Before the start a save is refused, and the paper is not there.
                await socket.send(json.dumps({"type": "save", "seq": 1, "item": "Q1", "answer": {"choice": "A"}}))
                error = await receive(socket, "error")
                assert error["code"] == "not_started" and error["seq"] == 1
            paper = await receive_paper(socket)
            items = paper["items"]
            assert len(items) > 10 and items[0]["key"] == "Q1"
            assert all("answer" not in item and "scoring" not in item for item in items)
            started = await receive(socket, "time")
            assert started["state"] == "answering" and 100 < started["remainingSeconds"] <= 120

            seq = 1
            for item in items[:5]:
                seq += 1
                await socket.send(json.dumps({"type": "save", "seq": seq, "item": item["key"], "answer": answer_for(item)}))
                ack = await receive(socket, "ack")
                assert ack["seq"] == seq
                acknowledged[item["key"]] = (seq, answer_for(item))
            # A replay is acknowledged and changes nothing; an older change of an item loses.
            await socket.send(json.dumps({"type": "save", "seq": 2, "item": items[0]["key"], "answer": {"choice": "Z"}}))
            assert (await receive(socket, "ack"))["seq"] == 2
            # Bad input: a clear error, the connection kept.
            for bad, code in [
                ("not json", "bad_message"),
                (json.dumps({"type": "teleport", "seq": 99}), "unknown_type"),
                (json.dumps({"type": "save", "seq": 50, "item": "Q9999", "answer": {"choice": "A"}}), "unknown_item"),
                (json.dumps({"type": "save", "seq": 51, "item": items[0]["key"], "answer": {"text": "x"}}), "bad_answer"),
                (json.dumps({"type": "save", "seq": 0, "item": items[0]["key"], "answer": None}), "bad_message"),
            ]:
                await socket.send(bad)
                assert (await receive(socket, "error"))["code"] == code
            await socket.send(json.dumps({"type": "ping", "t": 42}))
            assert (await receive(socket, "pong"))["t"] == 42
            await socket.send(json.dumps({"type": "flag", "seq": 60, "item": items[1]["key"], "flagged": True}))
            assert (await receive(socket, "ack"))["seq"] == 60
            await socket.send(json.dumps({"type": "event", "seq": 61, "kind": "visibility_hidden", "detail": "tab"}))
            assert (await receive(socket, "ack"))["seq"] == 61
            return items

        # (the with-block's close is the network drop)

    items = asyncio.run(scenario())

    async def resume():
        async with websockets.connect(ws_url(url, ws_ticket(url, sitting, token))) as socket:
            welcome = await receive(socket, "welcome")
            assert welcome["state"] == "answering" and welcome["lastSeq"] == 61
            assert welcome["answers"][items[0]["key"]] == acknowledged[items[0]["key"]][1]
            assert welcome["flags"] == [items[1]["key"]]
            await receive_paper(socket)
            await socket.send(json.dumps({"type": "save", "seq": 62, "item": items[5]["key"], "answer": answer_for(items[5])}))
            assert (await receive(socket, "ack"))["seq"] == 62
            acknowledged[items[5]["key"]] = (62, answer_for(items[5]))
            await socket.send(json.dumps({"type": "handIn", "seq": 63}))
            assert (await receive(socket, "ack"))["seq"] == 63
            handed = await receive(socket, "handedIn")
            assert handed["receipt"]["answered"] == 6 and handed["receipt"]["reason"] == "candidate"
            assert re.fullmatch(r"[0-9a-f]{64}", handed["receipt"]["sha256"])
            with pytest.raises(websockets.exceptions.ConnectionClosed):
                await asyncio.wait_for(socket.recv(), timeout=10)
            assert socket.close_code == 1000
            return handed["receipt"]

    receipt = asyncio.run(resume())
    stored = stored_answers(live["data"], sitting, candidate_id(live, ticket))
    assert {key: (seq, answer) for key, (seq, answer) in stored.items()} == acknowledged

    async def after():
        async with websockets.connect(ws_url(url, ws_ticket(url, sitting, token))) as socket:
            welcome = await receive(socket, "welcome")
            assert welcome["state"] == "handedIn" and welcome["receipt"]["sha256"] == receipt["sha256"]

    asyncio.run(after())


def test_the_server_hands_in_at_the_deadline_and_an_extension_moves_it(live):
    url, sitting = live["url"], live["sitting"]
    first, second = [t for t in live["tickets"] if t["candidate"]["idNumber"] != DEMO_ID][2:4]
    tokens = {t["code"]: sit_login(url, t) for t in (first, second)}

    async def scenario():
        async with websockets.connect(ws_url(url, ws_ticket(url, sitting, tokens[first["code"]]))) as one, \
                websockets.connect(ws_url(url, ws_ticket(url, sitting, tokens[second["code"]]))) as two:
            await receive(one, "welcome")
            await receive(two, "welcome")
            paper = await receive_paper(one)
            time_one = await receive(one, "time")
            await receive_paper(two)
            await one.send(json.dumps({"type": "save", "seq": 1, "item": paper["items"][0]["key"], "answer": answer_for(paper["items"][0])}))
            assert (await receive(one, "ack"))["seq"] == 1
            # The invigilator extends the second candidate by 20 s: pushed within 2 s.
            two_id = candidate_id(live, second)
            sent = time.monotonic()
            status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/extend", live["admin"], {"seconds": 20, "candidate": two_id, "reason": "设备故障"})
            assert status == 200, body
            pushed = await receive(two, "time", timeout=5)
            while not pushed.get("reason"):
                pushed = await receive(two, "time", timeout=5)
            assert time.monotonic() - sent < 2
            assert "设备故障" in pushed["reason"]
            deadline_one = datetime.datetime.fromisoformat(time_one["deadline"].replace("Z", "+00:00"))
            deadline_two = datetime.datetime.fromisoformat(pushed["deadline"].replace("Z", "+00:00"))
            assert abs((deadline_two - deadline_one).total_seconds() - 20) < 0.01
            handed = await receive(one, "handedIn", timeout=150)
            assert handed["receipt"]["reason"] == "deadline" and handed["receipt"]["answered"] == 1
            at = datetime.datetime.fromisoformat(handed["receipt"]["handedInAt"].replace("Z", "+00:00"))
            assert abs((at - deadline_one).total_seconds()) < 0.01, "handed in at the ledger's deadline"
            # The extended candidate is still answering.
            await two.send(json.dumps({"type": "save", "seq": 1, "item": paper["items"][0]["key"], "answer": answer_for(paper["items"][0])}))
            reply = await receive(two, "ack")
            assert reply["seq"] == 1
            handed_two = await receive(two, "handedIn", timeout=40)
            assert handed_two["receipt"]["reason"] == "deadline"

    asyncio.run(scenario())
    audit = run_assay("audit", "tail", "--count", "400", data=live["data"]).stdout
    for action in ["sitting.started", "sitting.papers_assigned", "sitting.time_extended", "paper.opened", "sit.login"]:
        assert action in audit, action
