"""Examiners mark short-answer theory items the way they mark practical tasks (issue 7 §2): a
theory paper with a short-answer item, a few candidates sitting it over real WebSockets, their
hand-ins left partly to examiners, blind double marking by the theory room's staff, the marked
score added to the objective one."""

import asyncio
import json
import re
import time

import pytest
import websockets

from conftest import api_status_call, run_assay
from test_sitting_runtime import answer_for, login, prepare, receive, receive_paper, sit_login, ws_ticket, ws_url

MARKERS = [("marker1", "阅卷甲"), ("marker2", "阅卷乙"), ("marker3", "阅卷丙")]
PASSWORD = "short-answer-6621"
SITTING_CANDIDATES = 3


def with_short_answers(data, exams):
    """One 6-point short-answer item on the 初级 theory paper (still 100 points), and the theory
    room's staff drawn from examiners whose passwords the test knows."""
    path = exams / "blueprints" / "2-02-10-09.yaml"
    text = path.read_text(encoding="utf-8")
    first = "      - {type: single_choice, count: 24, points: 2}\n"
    assert first in text
    text = text.replace(first, "      - {type: single_choice, count: 21, points: 2}\n      - {type: short_answer, count: 1, points: 6}\n", 1)
    path.write_text(text, encoding="utf-8")
    for username, name in MARKERS:
        # The last marker is also an exam administrator: an account may hold several roles.
        extra = ("--role", "exam_admin") if username == MARKERS[-1][0] else ()
        run_assay("users", "add", username, "--name", name, "--role", "examiner", *extra, "--password-stdin", data=data, stdin=PASSWORD + "\n", check=True)
    listed = run_assay("users", "list", "--json", data=data, check=True)
    for account in json.loads(listed.stdout):
        if "examiner" in account["roles"] and account["username"] not in dict(MARKERS):
            run_assay("users", "disable", account["username"], data=data, check=True)


@pytest.fixture(scope="module")
def sat(tmp_path_factory):
    live = prepare(tmp_path_factory.mktemp("theory-marking"), start_in=15, minutes=2, setup=with_short_answers)
    url, sitting = live["url"], live["sitting"]
    texts = {}

    async def take(ticket, index):
        token = await asyncio.to_thread(sit_login, url, ticket)
        wsticket = await asyncio.to_thread(ws_ticket, url, sitting, token)
        async with websockets.connect(ws_url(url, wsticket), max_size=2 ** 24) as socket:
            await receive(socket, "welcome")
            paper = await receive_paper(socket, timeout=60)
            seq = 0
            for item in paper["items"]:
                answer = answer_for(item)
                if item["type"] == "short_answer":
                    answer = {"text": f"简答 {index}：TP=80，FP=40，FN=20，精确率0.667，召回率0.800。"}
                    texts[ticket["candidate"]["name"]] = (item["key"], answer["text"])
                seq += 1
                await socket.send(json.dumps({"type": "save", "seq": seq, "item": item["key"], "answer": answer}))
                assert (await receive(socket, "ack"))["seq"] == seq
            await socket.send(json.dumps({"type": "handIn", "seq": seq + 1}))
            await receive(socket, "handedIn", timeout=30)

    async def everyone():
        await asyncio.gather(*[take(ticket, index) for index, ticket in enumerate(live["tickets"][:SITTING_CANDIDATES])])

    asyncio.run(everyone())
    deadline = time.monotonic() + 60
    while True:
        _, scores = api_status_call(url, f"/api/v1/sittings/{sitting}/scores", live["admin"])
        if scores["scored"] >= SITTING_CANDIDATES:
            break
        assert time.monotonic() < deadline, scores
        time.sleep(0.5)
    assert len(texts) == SITTING_CANDIDATES, "the paper has no short-answer item"
    live["texts"] = texts
    live["scores"] = {row["name"]: row for row in scores["scores"]}
    yield live
    live["server"].stop()


def test_short_answers_are_marked_blind_by_two_of_the_rooms_staff(sat):
    url, sitting, admin = sat["url"], sat["sitting"], sat["admin"]
    for name, _ in sat["texts"].items():
        assert sat["scores"][name]["pending"] == 1
    # Marking opens once the sitting is over: here when the server hands in the absent at the deadline.
    status, progress = api_status_call(url, f"/api/v1/sittings/{sitting}/marking", admin)
    assert status == 200 and progress["submissions"] == 0, progress
    deadline = time.monotonic() + 240
    while progress["submissions"] < SITTING_CANDIDATES:
        assert time.monotonic() < deadline, progress
        time.sleep(2)
        status, progress = api_status_call(url, f"/api/v1/sittings/{sitting}/marking", admin)
    assert progress["submissions"] == SITTING_CANDIDATES, progress
    status, detail = api_status_call(url, f"/api/v1/sittings/{sitting}", admin)
    staff = {member for room in detail["sitting"]["plan"]["rooms"] for member in room["staff"]}
    for row in progress["rows"]:
        assert {m["role"] for m in row["markers"]} == {"first", "second"}
        assert {m["examiner"] for m in row["markers"]} <= staff

    # The marker who is also an exam administrator sees the progress, but not who is behind a code.
    dual = login(url, MARKERS[-1][0], PASSWORD)
    status, theirs = api_status_call(url, f"/api/v1/sittings/{sitting}/marking", dual)
    holds = any(m["examiner"] == api_status_call(url, "/api/v1/me", dual)[1]["user"]["id"] for r in theirs["rows"] for m in r["markers"])
    assert status == 200 and holds, theirs
    assert all("name" not in r and "candidate" not in r for r in theirs["rows"]), theirs
    assert not any(name in json.dumps(theirs, ensure_ascii=False) for name in sat["texts"])
    assert all("name" in r and "candidate" in r for r in progress["rows"])

    # A relation (回避) declared after the draw: the examiner's unsigned sheet goes to the colleague
    # not yet on that submission, and the examiner can no longer open it.
    tokens = {username: login(url, username, PASSWORD) for username, _ in MARKERS}
    ids = {api_status_call(url, "/api/v1/me", token)[1]["user"]["id"]: username for username, token in tokens.items()}
    row = progress["rows"][0]
    first = next(m for m in row["markers"] if m["role"] == "first")
    ticket = next(t for t in sat["tickets"] if t["candidate"]["name"] == row["name"])
    status, body = api_status_call(url, "/api/v1/relations", tokens[ids[first["examiner"]]],
                                   {"candidateIDNumber": ticket["candidate"]["idNumber"], "kind": "colleague"})
    assert status in (200, 201), body
    status, body = api_status_call(url, f"/api/v1/marking/{row['code']}", tokens[ids[first["examiner"]]])
    assert status == 403 and body["error"]["code"] in ("related", "not_assigned"), body
    status, moved = api_status_call(url, f"/api/v1/sittings/{sitting}/marking", admin)
    now = next(r for r in moved["rows"] if r["code"] == row["code"])
    holders = {m["role"]: m["examiner"] for m in now["markers"]}
    assert holders["first"] != first["examiner"] and len(set(holders.values())) == 2, now
    status, body = api_status_call(url, f"/api/v1/marking/{row['code']}", tokens[ids[first["examiner"]]])
    assert status == 403 and body["error"]["code"] == "not_assigned", body

    marks, scale = {}, {}
    for username, token in tokens.items():
        status, queue = api_status_call(url, "/api/v1/marking/queue", token)
        assert status == 200
        for assignment in queue["assignments"]:
            code = assignment["code"]
            status, view = api_status_call(url, f"/api/v1/marking/{code}", token)
            assert status == 200 and [item["type"] for item in view["items"]] == ["short_answer"]
            item = view["items"][0]
            # The paper gives the item 6 points; its scoring table may be worth less (scaled).
            assert item["points"] == 6 and sum(point["marks"] for point in item["scoring"]) > 0
            scale[code] = item["points"] / sum(point["marks"] for point in item["scoring"])
            # The candidate's own text, and nothing saying whose it is.
            assert any(item["answer"]["text"] == text for _, text in sat["texts"].values())
            assert not any(name in json.dumps(view, ensure_ascii=False) for name in sat["texts"])
            given = [point["marks"] for point in item["scoring"]]
            given[-1] = max(0, given[-1] - (0.5 if assignment["role"] == "first" else 0))
            status, signed = api_status_call(url, f"/api/v1/marking/{code}/sign", token, {"marks": {item["key"]: given}})
            assert status == 200, signed
            marks.setdefault(code, []).append(sum(given))

    status, progress = api_status_call(url, f"/api/v1/sittings/{sitting}/marking", admin)
    assert progress["final"] == SITTING_CANDIDATES, progress
    for row in progress["rows"]:
        first, second = marks[row["code"]]
        assert row["marked"] == pytest.approx((first + second) / 2 * scale[row["code"]], abs=0.01)
        # The two marks are 0.5 apart, within 10% of the table: no third mark.
        assert not row["adjudicated"] and re.fullmatch(r"MK-[0-9A-Z]{8}", row["code"])
