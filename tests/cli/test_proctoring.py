"""Invigilation over real sockets (docs/DELIVERY.md "Invigilation", docs/PROTOCOL.md §5).

A short theory sitting with no late entry and a proctoring policy of its own (a snapshot every
10 s, a 10 s coverage gap, three focus losses → a warning) is served; candidates connect over
real WebSockets while the exam administrator, a quality supervisor and an examiner who is not on
the sitting use the API. What the candidates receive, what the database holds and what the
audit log says are checked.
"""

import asyncio
import io
import json
import sqlite3
import time
import urllib.error
import urllib.request

import pytest
import websockets
import websockets.exceptions

from conftest import api_status_call
from test_sitting_runtime import answer_for, login, prepare, receive, receive_paper, sit_login, ws_url

POLICY = """\
schema: assay.proctoring/1
snapshot_interval_seconds: 10
snapshot_max_kib: 64
coverage_gap_seconds: 10
rules:
  - events: [visibility_hidden, window_blur]
    count: 3
    action: warn
    message: 测试规则：离开考试页面已达三次
  - events: [paste]
    count: 1
    action: incident
    message: 粘贴
"""

# A real (tiny) JPEG: SOI, APP0 JFIF, … EOI is not needed for the signature check, but the
# image is decodable so staff can look at it.
def jpeg_bytes(seed=0):
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (seed % 255, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


def png_bytes():
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    prepared = prepare(tmp_path_factory.mktemp("proctoring"), start_in=20, minutes=4, late=0, policy=POLICY)
    prepared["supervisor"] = login(prepared["url"], "supervisor", "clear-lake-9132")
    # An examiner who is on no sitting (the demo's own examiners may be drawn into this one).
    admin = login(prepared["url"], "admin", "jade-river-4821")
    status, body = api_status_call(prepared["url"], "/api/v1/users", admin, {
        "username": "outsider", "displayName": "局外考评员", "roles": ["examiner"], "password": "granite-orchard-5831",
    })
    assert status == 201, body
    prepared["examiner"] = login(prepared["url"], "outsider", "granite-orchard-5831")
    yield prepared
    prepared["server"].stop()


def post_raw(url, path, token, data, content_type, agent=None):
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if content_type:
        headers["Content-Type"] = content_type
    if agent:
        headers["User-Agent"] = agent
    request = urllib.request.Request(url + path, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def get_raw(url, path, token):
    request = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers.get("Content-Type"), response.read()


def ws_ticket_as(url, sitting, token, agent):
    """A WebSocket ticket asked for from a given browser (its User-Agent is the device on record)."""
    status, body = post_raw(url, f"/api/v1/sit/{sitting}/connect", token, b"{}", "application/json", agent=agent)
    assert status == 200, body
    return body["wsTicket"]


def feed(live, token=None, after=0):
    status, body = api_status_call(live["url"], f"/api/v1/sittings/{live['sitting']}/events?after={after}", token or live["admin"])
    assert status == 200, body
    return body["events"]


def candidate_ids(live):
    status, body = api_status_call(live["url"], f"/api/v1/sittings/{live['sitting']}/proctor", live["admin"])
    assert status == 200, body
    return {row["candidate"]["name"]: row["candidate"]["id"] for room in body["dashboard"]["rooms"] for row in room["candidates"]}


def database(live):
    return sqlite3.connect(f"file:{live['data'] / 'assay.sqlite'}?mode=ro", uri=True)


async def next_of(socket, kinds, timeout=5):
    """The next message of one of `kinds` within `timeout` s (others skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout=max(0.05, deadline - time.monotonic())))
        if message["type"] in kinds:
            return message


def wait_started(live, timeout=90):
    deadline = time.monotonic() + timeout
    while not api_status_call(live["url"], f"/api/v1/sittings/{live['sitting']}/live", live["admin"])[1].get("started"):
        assert time.monotonic() < deadline, "the sitting did not start"
        time.sleep(0.5)


async def time_in_state(socket, state, timeout=2):
    """The first `time` message in `state` within `timeout` s (an earlier periodic one is skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        message = await next_of(socket, {"time"}, timeout=max(0.05, deadline - time.monotonic()))
        if message["state"] == state:
            return message


def test_staff_who_are_not_on_the_sitting_see_nothing_and_supervisors_only_watch(live):
    url, sitting = live["url"], live["sitting"]
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/proctor", live["examiner"])
    assert status == 403 and body["error"]["code"] == "not_your_sitting"
    status, body = api_status_call(url, "/api/v1/proctor/sittings", live["examiner"])
    assert status == 200 and sitting not in [s["id"] for s in body["sittings"]]
    status, body = api_status_call(url, "/api/v1/proctor/sittings", live["supervisor"])
    assert [s["role"] for s in body["sittings"] if s["id"] == sitting] == ["supervisor"]

    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/proctor", live["supervisor"])
    assert status == 200 and body["dashboard"]["viewer"] == {"role": "supervisor", "canAct": False, "rooms": ["线上1"]}
    anyone = body["dashboard"]["rooms"][0]["candidates"][0]["candidate"]["id"]
    for action, payload in [("warn", {"candidate": anyone, "text": "请坐好"}), ("pause", {"candidate": anyone, "reason": "x"}),
                            ("misconduct", {"candidate": anyone, "tier": "warning", "reason": "x"})]:
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/{action}", live["supervisor"], payload)
        assert status == 403, (action, body)
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/notes", live["supervisor"], {"text": "  "})
    assert status == 400 and body["error"]["code"] == "text_required"
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/notes", live["supervisor"], {"text": "考场秩序良好，监考员到位。"})
    assert status == 201
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/notes", live["admin"], {"text": "管理员不是督导员"})
    assert status == 403
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/notes", live["admin"])
    assert [note["text"] for note in body["notes"]] == ["考场秩序良好，监考员到位。"]


def test_invigilation_of_a_live_sitting(live):
    url, sitting = live["url"], live["sitting"]
    a, b, c = live["tickets"][0], live["tickets"][1], live["tickets"][2]
    tokens = {t["code"]: sit_login(url, t) for t in (a, b, c)}
    ids = candidate_ids(live)
    id_a, id_b, id_c = (ids[t["candidate"]["name"]] for t in (a, b, c))

    # Before the start: a candidate who never connected may not send snapshots.
    status, body = post_raw(url, f"/api/v1/sit/{sitting}/snapshot", tokens[c["code"]], jpeg_bytes(), "image/jpeg")
    assert status == 409 and body["error"]["code"] == "not_sitting"

    async def scenario():
        one = await websockets.connect(ws_url(url, ws_ticket_as(url, sitting, tokens[a["code"]], "Mozilla/5.0 Chrome/120 exam-pc-A")))
        two = await websockets.connect(ws_url(url, ws_ticket_as(url, sitting, tokens[b["code"]], "Mozilla/5.0 Chrome/120 exam-pc-B")))
        welcome = await receive(one, "welcome")
        assert welcome["proctoring"] == {"snapshotIntervalSeconds": 10, "snapshotMaxBytes": 64 * 1024}
        await receive(two, "welcome")
        paper = await receive_paper(one, timeout=60)
        await receive_paper(two, timeout=60)
        items = paper["items"]
        await next_of(one, {"time"})

        # Three focus losses: the policy's warning reaches the candidate, the rule is on the feed.
        for seq in (1, 2, 3):
            await one.send(json.dumps({"type": "event", "seq": seq, "kind": "visibility_hidden", "detail": "Q1"}))
        warning = await next_of(one, {"warning"})
        assert warning["text"] == "测试规则：离开考试页面已达三次"
        assert any(e["kind"] == "rule_warning" and e.get("candidate") == id_a for e in feed(live))

        # A pause reaches the candidate within 2 s; answering is refused while paused; the
        # deadline moves by the pause when it is resumed.
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/pause", live["admin"], {"candidate": id_a})
        assert status == 400 and body["error"]["code"] == "reason_required"
        started = time.monotonic()
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/pause", live["admin"], {"candidate": id_a, "reason": "设备故障"})
        assert status == 200 and body["affected"] == 1
        paused = await time_in_state(one, "paused")
        assert "设备故障" in paused["reason"] and time.monotonic() - started < 2
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/pause", live["admin"], {"candidate": id_a, "reason": "again"})
        assert status == 409 and body["error"]["code"] == "nothing_to_pause"
        await one.send(json.dumps({"type": "save", "seq": 4, "item": items[0]["key"], "answer": answer_for(items[0])}))
        refused = await next_of(one, {"error"})
        assert refused["code"] == "paused" and refused["seq"] == 4
        await asyncio.sleep(1.5)
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/resume", live["admin"], {"candidate": id_a})
        assert status == 200
        await time_in_state(one, "answering")
        await one.send(json.dumps({"type": "save", "seq": 5, "item": items[0]["key"], "answer": answer_for(items[0])}))
        assert (await next_of(one, {"ack"}))["seq"] == 5
        await two.send(json.dumps({"type": "save", "seq": 1, "item": items[0]["key"], "answer": answer_for(items[0])}))
        assert (await next_of(two, {"ack"}))["seq"] == 1

        # A room pause for everyone in it; the whole sitting only by the administrator.
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/pause", live["admin"], {"room": "线上1", "reason": "火警演练"})
        assert status == 200 and body["affected"] >= 2
        await time_in_state(two, "paused")
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/resume", live["admin"], {"room": "线上1"})
        assert status == 200
        await time_in_state(two, "answering")

        # Snapshots: only JPEG, within the size, not faster than half the interval; sealed at rest.
        snap = "/api/v1/sit/%s/snapshot" % sitting
        assert post_raw(url, snap, tokens[a["code"]], png_bytes(), "image/png")[1]["error"]["code"] == "unsupported_type"
        assert post_raw(url, snap, tokens[a["code"]], png_bytes(), "image/jpeg")[1]["error"]["code"] == "type_mismatch"
        status, body = post_raw(url, snap, tokens[a["code"]], b"\xff\xd8\xff\xe0" + b"0" * (70 * 1024), "image/jpeg")
        assert status == 413 and body["error"]["code"] == "too_large"
        image = jpeg_bytes(7)
        status, body = post_raw(url, snap, tokens[a["code"]], image, "image/jpeg")
        assert status == 201 and body["nextInSeconds"] == 10
        snapshot_id = body["snapshot"]["id"]
        status, body = post_raw(url, snap, tokens[a["code"]], jpeg_bytes(8), "image/jpeg")
        assert status == 429 and body["error"]["code"] == "too_soon"

        # Late entry is closed (no late minutes): refused and recorded, until an invigilator admits.
        with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
            three = await websockets.connect(ws_url(url, ws_ticket_as(url, sitting, tokens[c["code"]], "Firefox")))
            await asyncio.wait_for(three.recv(), timeout=5)
            await asyncio.wait_for(three.recv(), timeout=5)
        assert closed.value.rcvd.code == 4004 and "late" in closed.value.rcvd.reason
        assert any(e["kind"] == "late_entry_refused" and e.get("candidate") == id_c for e in feed(live))
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/admit", live["admin"], {"candidate": id_c, "reason": "交通管制，经主考同意"})
        assert status == 200
        three = await websockets.connect(ws_url(url, ws_ticket_as(url, sitting, tokens[c["code"]], "Firefox")))
        assert (await receive(three, "welcome"))["state"] == "answering"
        await receive_paper(three)
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/admit", live["admin"], {"candidate": id_c, "reason": "again"})
        assert status == 409 and body["error"]["code"] == "already_entered"

        # Another device for B: the change is logged.
        await two.close()
        two = await websockets.connect(ws_url(url, ws_ticket_as(url, sitting, tokens[b["code"]], "Mozilla/5.0 Edg/119 another-pc")))
        await receive(two, "welcome")
        await receive_paper(two)
        deadline = time.monotonic() + 5
        while not any(e["kind"] == "device_changed" and e.get("candidate") == id_b for e in feed(live)):
            assert time.monotonic() < deadline, "no device_changed event"
            await asyncio.sleep(0.2)

        # Misconduct: evidence must be this sitting's; a voiding tier ends the candidate's sitting.
        events_b = [e for e in feed(live) if e.get("candidate") == id_b]
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/misconduct", live["admin"], {
            "candidate": id_b, "tier": "sitting_void", "reason": "使用他人设备", "events": [999999],
        })
        assert status == 400 and body["error"]["code"] == "bad_evidence"
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/misconduct", live["admin"], {
            "candidate": id_b, "tier": "deduction", "points": 0, "reason": "x",
        })
        assert status == 400 and body["error"]["code"] == "bad_points"
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/misconduct", live["admin"], {
            "candidate": id_b, "tier": "sitting_void", "reason": "考试中更换设备并由他人代答",
            "events": [e["id"] for e in events_b if e["kind"] == "device_changed"], "snapshots": [snapshot_id],
        })
        assert status == 400 and body["error"]["code"] == "bad_evidence"  # A's snapshot is not B's
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/misconduct", live["admin"], {
            "candidate": id_b, "tier": "sitting_void", "reason": "考试中更换设备并由他人代答",
            "events": [e["id"] for e in events_b if e["kind"] == "device_changed"],
        })
        assert status == 201 and body["decision"]["terminated"] is True
        told = await next_of(two, {"warning"}, timeout=2)
        assert "终止" in told["text"]
        handed = await next_of(two, {"handedIn"}, timeout=2)
        assert handed["receipt"]["reason"] == "terminated"
        with pytest.raises(websockets.exceptions.ConnectionClosed):
            await asyncio.wait_for(two.recv(), timeout=5)
        assert two.close_code == 4005

        # A warning from the invigilator, and an irregularity about the whole sitting.
        status, _ = api_status_call(url, f"/api/v1/sittings/{sitting}/warn", live["admin"], {"candidate": id_c, "text": "请勿交头接耳"})
        assert status == 200
        assert (await next_of(three, {"warning"}, timeout=2))["text"] == "请勿交头接耳"
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/irregularities", live["admin"], {"text": "10:05 考点短暂断电，约1分钟"})
        assert status == 201
        await one.close()
        await three.close()
        return snapshot_id, image

    snapshot_id, image = asyncio.run(scenario())

    # The feed names staff actions too (a room pause, with who did it and why), and the dashboard
    # carries the staff's names.
    events = feed(live)
    room_pause = next(e for e in events if e["kind"] == "paused" and "考场 线上1" in (e.get("detail") or ""))
    assert "火警演练" in room_pause["detail"] and room_pause["source"] == "staff" and room_pause.get("candidate") is None
    assert any(e["kind"] == "paused" and e.get("candidate") == id_a and "设备故障" in e["detail"] for e in events)
    status, _ = api_status_call(url, f"/api/v1/sittings/{sitting}/extend", live["admin"], {"seconds": 120, "candidate": id_c, "reason": "设备更换"})
    assert status == 200
    deadline = time.monotonic() + 5
    while not any(e["kind"] == "time_extended" and e.get("candidate") == id_c and "设备更换" in e["detail"] for e in feed(live)):
        assert time.monotonic() < deadline, "the extension is not on the feed"
        time.sleep(0.2)

    # The dashboard tells the story.
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/proctor", live["admin"])
    assert body["dashboard"]["staff"][room_pause["actor"]] == "李娜"
    rows = {row["candidate"]["id"]: row for room in body["dashboard"]["rooms"] for row in room["candidates"]}
    assert rows[id_b]["candidate"]["state"] == "terminated" and rows[id_b]["misconduct"] == ["sitting_void"]
    assert rows[id_a]["candidate"]["state"] == "answering" and rows[id_a]["candidate"]["answered"] == 1
    assert rows[id_a]["candidate"]["focusLosses"] == 3 and rows[id_a]["incidents"] >= 1
    assert rows[id_a]["snapshot"]["id"] == snapshot_id
    assert rows[id_c]["candidate"]["admittedLate"] is True
    assert any(row["candidate"]["state"] == "lateClosed" for row in rows.values())

    # Staff see the snapshot as taken; the database holds it sealed.
    status, kind, data = get_raw(url, f"/api/v1/sittings/{sitting}/snapshots/{snapshot_id}", live["admin"])
    assert status == 200 and kind == "image/jpeg" and data == image
    connection = database(live)
    try:
        box, = connection.execute("SELECT box FROM proctor_snapshot WHERE id = ?", (snapshot_id,)).fetchone()
        assert image[:64] not in box and not box.startswith(b"\xff\xd8")
        reason, = connection.execute(
            "SELECT hand_in_reason FROM attempt WHERE sitting_id = ? AND candidate_id = ?", (sitting, id_b)).fetchone()
        assert reason == "terminated"
        tier, terminated, evidence = connection.execute(
            "SELECT tier, terminated, evidence FROM misconduct WHERE sitting_id = ?", (sitting,)).fetchone()
        assert tier == "sitting_void" and terminated == 1 and json.loads(evidence)["events"]
        actions = {row[0] for row in connection.execute("SELECT action FROM audit_entry")}
    finally:
        connection.close()
    assert {"sitting.paused", "sitting.resumed", "sitting.late_admitted", "sitting.misconduct_decided", "sitting.warning_sent",
            "sitting.irregularity_filed", "proctor.snapshots_viewed"} <= actions

    # The coverage audit: with a 10 s gap allowed, A's one snapshot stops covering them once it is
    # over 10 s old (A is still answering); C never sent one.
    deadline = time.monotonic() + 25
    while True:
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/coverage", live["supervisor"])
        coverage = body["coverage"]
        by_id = {row["id"]: row for row in coverage["candidates"]}
        if not by_id[id_a]["covered"]:
            break
        assert time.monotonic() < deadline, by_id[id_a]
        time.sleep(1)
    assert coverage["coverageGapSeconds"] == 10 and by_id[id_a]["snapshots"] == 1
    assert all(gap["seconds"] > 10 for gap in by_id[id_a]["gaps"]) and coverage["candidates"][0]["covered"] is False
    assert by_id[id_c]["snapshots"] == 0 and by_id[id_c]["gaps"] and not by_id[id_c]["covered"]
    status, kind, data = get_raw(url, f"/api/v1/sittings/{sitting}/coverage/export?format=csv", live["supervisor"])
    assert status == 200 and "text/csv" in kind and "最长间隔" in data.decode("utf-8-sig")


def test_files_are_for_practical_tasks_only_and_bad_uploads_change_nothing(live):
    url, sitting = live["url"], live["sitting"]
    ticket = live["tickets"][0]
    token = sit_login(url, ticket)
    files = f"/api/v1/sit/{sitting}/files"
    wait_started(live)
    # A theory paper has no practical task: refused, nothing stored.
    status, body = post_raw(url, files + "?item=Q1&name=a.pdf", token, b"%PDF-1.4 test", "application/pdf")
    assert status == 400 and body["error"]["code"] == "not_practical"
    status, body = post_raw(url, files + "?item=Q9999&name=a.pdf", token, b"%PDF-1.4 test", "application/pdf")
    assert status == 400 and body["error"]["code"] == "unknown_item"
    status, body = post_raw(url, files, token, b"%PDF-1.4", "application/pdf")
    assert status == 400 and body["error"]["code"] == "item_required"
    status, body = api_status_call(url, files, token)
    assert status == 200 and body["files"] == []


@pytest.fixture(scope="module")
def practical(tmp_path_factory):
    prepared = prepare(tmp_path_factory.mktemp("practical"), start_in=15, minutes=3, late=1, part="ability")
    yield prepared
    prepared["server"].stop()


def test_a_practical_answer_carries_uploaded_files(practical):
    url, sitting = practical["url"], practical["sitting"]
    one, other = practical["tickets"][0], practical["tickets"][1]
    token, other_token = sit_login(url, one), sit_login(url, other)
    files = f"/api/v1/sit/{sitting}/files"
    report = b"%PDF-1.4\n% a report\n" + bytes(range(256)) * 40
    log = "训练日志：epoch 1 loss 0.42\n".encode("utf-8")

    async def scenario():
        async with websockets.connect(ws_url(url, ws_ticket_as(url, sitting, token, "Chrome"))) as socket:
            await receive(socket, "welcome")
            paper = await receive_paper(socket, timeout=60)
            item = paper["items"][0]
            assert item["type"] == "practical_task"
            key = item["key"]
            # Refused uploads: a clear error each, nothing stored.
            upload = f"{files}?item={key}&name="
            assert post_raw(url, upload + "a.exe", token, b"MZ\x90\x00", "application/octet-stream")[1]["error"]["code"] == "unsupported_type"
            assert post_raw(url, upload + "a.pdf", token, b"just text", "application/pdf")[1]["error"]["code"] == "type_mismatch"
            assert post_raw(url, upload + "a.txt", token, b"\x00\x01binary", "text/plain")[1]["error"]["code"] == "type_mismatch"
            status, body = post_raw(url, upload + "big.pdf", token, b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf")
            assert status == 413 and body["error"]["code"] == "too_large"
            assert api_status_call(url, files, token)[1]["files"] == []
            # Accepted: sealed, named, hashed.
            status, body = post_raw(url, upload + "%E6%8A%A5%E5%91%8A.pdf", token, report, "application/pdf")
            assert status == 201, body
            pdf = body["file"]
            assert pdf["name"] == "报告.pdf" and pdf["bytes"] == len(report) and pdf["mediaType"] == "application/pdf"
            status, body = post_raw(url, upload + "../../etc/train.log", token, log, "text/plain; charset=utf-8")
            assert status == 201 and body["file"]["name"] == "train.log"
            text_file = body["file"]

            # The answer names the files; a file not uploaded by this candidate for this item is refused.
            await socket.send(json.dumps({"type": "save", "seq": 1, "item": key, "answer": {"text": "见附件", "files": [pdf["id"], "F-NOT-MINE"]}}))
            refused = await next_of(socket, {"error"})
            assert refused["code"] == "bad_answer" and refused["seq"] == 1
            await socket.send(json.dumps({"type": "save", "seq": 2, "item": key, "answer": {"text": "见附件", "files": [pdf["id"], text_file["id"]]}}))
            assert (await next_of(socket, {"ack"}))["seq"] == 2
            await socket.send(json.dumps({"type": "handIn", "seq": 3}))
            handed = await next_of(socket, {"handedIn"}, timeout=10)
            assert handed["receipt"]["answered"] == 1
            return key, pdf, text_file

    key, pdf, text_file = asyncio.run(scenario())
    # After hand-in no more uploads; the candidate can still read their own files, nobody else can.
    status, body = post_raw(url, f"{files}?item={key}&name=late.txt", token, b"late", "text/plain")
    assert status == 409 and body["error"]["code"] == "handed_in"
    status, kind, data = get_raw(url, f"{files}/{pdf['id']}", token)
    assert data == report and kind == "application/pdf"
    with pytest.raises(urllib.error.HTTPError) as other_read:
        get_raw(url, f"{files}/{pdf['id']}", other_token)
    assert other_read.value.code == 404
    connection = database(practical)
    try:
        stored, = connection.execute("SELECT answer FROM answer WHERE sitting_id = ? AND item_key = ?", (sitting, key)).fetchone()
        assert json.loads(stored) == {"files": [pdf["id"], text_file["id"]], "text": "见附件"}
        boxes = [row[0] for row in connection.execute("SELECT box FROM answer_file WHERE sitting_id = ?", (sitting,))]
        assert len(boxes) == 2 and all(report[:40] not in box and log not in box for box in boxes)
    finally:
        connection.close()
