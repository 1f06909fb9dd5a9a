"""Blind double marking with adjudication over the API (docs/MARKING.md), against a live server.

One batch is prepared for the whole module (tests/cli/marking_fixture.py): a theory and a
practical sitting of the same candidates, everyone handed in. Before marking is first looked at,
one examiner of the practical panel declares a relation (回避) with one candidate. The tests run in
file order and share the server's state: assignment, what a marker sees, bad input, the decision
rule case by case, and the part score in the batch's results. Every expectation is computed here
from the contract and from what the tests entered, never taken from the server.
"""

import json
import re
import sqlite3

import pytest

from marking_fixture import (
    call, candidate_by_id, chief, download, mark, pairs, prepare_batch, progress, queue, sheet_for_total, sign,
    submission, theory_points, worth,
)

CODE = re.compile(r"MK-[0-9A-HJKMNP-TV-Z]{8}")  # Crockford base32: no I, L, O, U
RELATED = 0  # the candidate (rank) the second panel member declares a relation with

# The decision-rule cases: candidate rank → (first total, second total) as shares of what the task
# is worth, and the chief's total when adjudication is expected. Ranks 7-9 stay unmarked.
CASES = {
    0: {"first": 0.80, "second": 0.85},                       # 5 apart, far from 60: the mean
    1: {"first": 0.80, "second": 0.92, "third": 0.85},        # 12 apart: adjudication
    2: {"first": 0.70, "second": 0.80},                       # exactly 10 apart: not more than 10%, the mean
    3: {"first": 0.59, "second": 0.62, "third": 0.595},       # provisional 60.5: the pass band; the chief's 59.5 fails
    4: {"first": 0.61, "second": 0.63, "third": 0.60},        # provisional 62: the band is inclusive; 60 passes
    5: {"first": 0.63, "second": 0.64},                       # provisional 63.5: outside the band, the mean
}
BAD_INPUT = 6


def on_step(value, step=0.5):
    return round(value / step) * step


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    prepared = prepare_batch(tmp_path_factory.mktemp("marking"), relations=[{"examiner": 1, "candidate": RELATED, "kind": "relative"}])
    prepared["state"] = {}
    yield prepared
    prepared["server"].stop()


def all_text(body):
    return json.dumps(body, ensure_ascii=False)


def expect_error(status, body, code, http):
    assert (status, body.get("error", {}).get("code")) == (http, code), (status, body)


# ---------------------------------------------------------------- assignment


def test_each_practical_hand_in_becomes_one_submission_with_two_unrelated_markers(batch):
    url, admin = batch["url"], batch["admin"]
    people = batch["candidates"]
    panel = {member["id"]: member for member in batch["examiners"]}
    head = chief(batch)
    related_examiner = batch["examiners"][1]

    view = progress(url, admin, batch["ability"])
    assert view["sitting"] == batch["ability"]
    rows = view["rows"]
    assert view["submissions"] == len(rows) == len(people)
    assert sorted(row["candidate"] for row in rows) == sorted(person["id"] for person in people)
    codes = [row["code"] for row in rows]
    assert all(CODE.fullmatch(code) for code in codes), codes
    assert len(set(codes)) == len(codes)
    for row in rows:
        assert row["status"] == "marking" and row.get("marked") is None and row["adjudicated"] is False, row
        assert row["name"] == candidate_by_id(batch, row["candidate"])["name"]
        roles = sorted(marker["role"] for marker in row["markers"])
        assert roles == ["first", "second"], row
        first, second = (marker["examiner"] for marker in sorted(row["markers"], key=lambda m: m["role"]))
        assert first != second and first in panel and second in panel, row
        # Four other panel members are available: the chief marks neither.
        assert head["id"] not in (first, second), row
        assert all(marker["signed"] is False for marker in row["markers"])
        assert {marker["name"] for marker in row["markers"]} == {panel[first]["name"], panel[second]["name"]}
    assert (view["final"], view["marking"], view["adjudication"], view["unassigned"]) == (0, len(rows), 0, 0)

    related = next(row for row in rows if row["candidate"] == people[RELATED]["id"])
    assert related_examiner["id"] not in [marker["examiner"] for marker in related["markers"]]

    # The least loaded first: 2 × 10 marks over the 4 panel members who are not the chief.
    load = {member["id"]: 0 for member in batch["examiners"] if not member["chief"]}
    for row in rows:
        for marker in row["markers"]:
            load[marker["examiner"]] += 1
    assert sum(load.values()) == 2 * len(rows) and max(load.values()) - min(load.values()) <= 1, load

    # Each examiner's queue holds exactly their assignments, by code and role; the chief's is empty.
    expected = {}
    for row in rows:
        for marker in row["markers"]:
            expected.setdefault(marker["examiner"], set()).add((row["code"], marker["role"]))
    for member in batch["examiners"]:
        assignments = queue(url, member["token"])
        assert {(a["code"], a["role"]) for a in assignments} == expected.get(member["id"], set()), member["username"]
        for assignment in assignments:
            assert assignment["sitting"] == batch["ability"] and assignment["status"] == "todo", assignment
            assert assignment["points"] == 100 and assignment.get("signedAt") is None and assignment.get("savedAt") is None, assignment
    assert queue(url, head["token"]) == []
    assert people[RELATED]["id"] not in all_text(queue(url, related_examiner["token"]))
    for member in batch["theory_staff"]:
        assert queue(url, member["token"]) == []
        status, body = submission(url, member["token"], codes[0])
        expect_error(status, body, "not_assigned", 403)

    # A theory sitting of objective items only leaves nothing to examiners.
    theory = progress(url, admin, batch["theory"])
    assert theory["submissions"] == 0 and theory["rows"] == []

    # Looking again changes nothing.
    again = progress(url, admin, batch["ability"])
    assert {row["code"]: sorted((m["role"], m["examiner"]) for m in row["markers"]) for row in again["rows"]} == \
           {row["code"]: sorted((m["role"], m["examiner"]) for m in row["markers"]) for row in rows}
    batch["state"]["pairs"] = pairs(batch)


def test_examiners_never_see_who_the_candidate_is(batch):
    url = batch["url"]
    bank_task = None
    for code, pair in batch["state"]["pairs"].items():
        person = candidate_by_id(batch, pair["candidate"])
        for role in ("first", "second"):
            status, body = submission(url, pair[role]["token"], code)
            assert status == 200, body
            assert body["code"] == code and body["role"] == role and body["status"] == "marking", body
            assert "others" not in body or body["others"] in (None, [])
            text = all_text(body)
            forbidden = [person["name"], person["idNumber"], person["id"], person["theoryTicket"], person["abilityTicket"],
                         person["theoryTicket"].replace("-", ""), person["abilityTicket"].replace("-", ""), "实训1"]
            assert [word for word in forbidden if word in text] == [], code
            (item,) = body["items"]
            assert item["key"] == person["abilityKey"] and item["type"] == "practical_task" and item["points"] == 100
            assert item["answer"]["text"] == person["abilityAnswer"]["text"]
            assert item["stem"] == person["abilityItem"]["stem"] and item["statement"] == person["abilityItem"]["statement"]
            assert sum(point["marks"] for point in item["scoring"]) == item["points"] == body["points"] == worth(body)
            bank_task = bank_task or item
        # Nobody else may read it, nor the progress view that maps codes to candidates.
        outsider = next(m for m in batch["examiners"] if m["id"] not in (pair["first"]["id"], pair["second"]["id"]))
        status, body = submission(url, outsider["token"], code)
        expect_error(status, body, "not_assigned", 403)
    for member in batch["examiners"][:2]:
        status, _ = call(url, "GET", f"/api/v1/sittings/{batch['ability']}/marking", member["token"])
        assert status == 403
        status, _ = call(url, "GET", f"/api/v1/sittings/{batch['ability']}", member["token"])
        assert status == 403
    # The scoring table is the bank's (read by the custodian).
    status, score = call(url, "GET", f"/api/v1/sittings/{batch['ability']}/scores/{batch['candidates'][0]['id']}", batch["admin"])
    assert status == 200, score
    (scored,) = score["items"]
    status, bank = call(url, "GET", f"/api/v1/items/{scored['item']}?version={scored['version']}&purpose=marking-check", batch["custodian"])
    assert status == 200, bank
    assert [(p["point"], p["marks"]) for p in bank_task["scoring"]] == [(p["point"], p["marks"]) for p in bank["content"]["scoring"]]

    # A practical task's uploaded file reaches its markers, by file id, and nobody else.
    person = next(p for p in batch["candidates"] if p.get("abilityFile"))
    code, pair = next((c, p) for c, p in batch["state"]["pairs"].items() if p["candidate"] == person["id"])
    status, body = submission(url, pair["first"]["token"], code)
    files = body["items"][0]["answer"]["files"]
    assert [f["id"] for f in files] == [person["abilityFile"]["id"]] and files[0]["size"] == len(person["abilityFile"]["content"])
    status, _, content = download(url, f"/api/v1/marking/{code}/files/{files[0]['id']}", pair["first"]["token"])
    assert status == 200 and content == person["abilityFile"]["content"]
    outsider = next(m for m in batch["examiners"] if m["id"] not in (pair["first"]["id"], pair["second"]["id"]))
    status, _, _ = download(url, f"/api/v1/marking/{code}/files/{files[0]['id']}", outsider["token"])
    assert status == 403


# ---------------------------------------------------------------- bad input


def test_bad_marks_are_refused_with_the_documented_error_and_change_nothing(batch):
    url = batch["url"]
    person = batch["candidates"][BAD_INPUT]
    code, pair = next((c, p) for c, p in batch["state"]["pairs"].items() if p["candidate"] == person["id"])
    marker, other = pair["first"], pair["second"]
    _, body = submission(url, marker["token"], code)
    (item,) = body["items"]
    key, scoring = item["key"], item["scoring"]
    assert len(scoring) >= 2

    draft = [None] * len(scoring)
    draft[0] = min(scoring[0]["marks"], 5)
    draft[1] = 0.5
    status, saved = mark(url, marker["token"], code, {key: draft}, comment="初评草稿", comments={key: "第二项仅部分完成"})
    assert status == 200, saved
    status, body = submission(url, marker["token"], code)
    sheet = body["sheet"]
    assert sheet["marks"] == {key: draft} and sheet["total"] == draft[0] + 0.5
    assert sheet["comment"] == "初评草稿" and sheet["comments"] == {key: "第二项仅部分完成"}
    assert sheet.get("savedAt") and sheet.get("signedAt") is None
    assert [a["status"] for a in queue(url, marker["token"]) if a["code"] == code] == ["draft"]

    def unchanged():
        status, body = submission(url, marker["token"], code)
        assert status == 200 and body["sheet"] == sheet, body["sheet"]

    full = [p["marks"] for p in scoring]
    bad_sheets = {
        "above its 配分": {key: [scoring[0]["marks"] + 0.5] + full[1:]},
        "negative": {key: [-1] + full[1:]},
        "off the step": {key: [0.3] + full[1:]},
        "an unknown item": {key: full, "Q9": [1]},
        "too few points": {key: full[:-1]},
        "too many points": {key: full + [0]},
    }
    for label, bad in bad_sheets.items():
        status, body = mark(url, marker["token"], code, bad)
        expect_error(status, body, "invalid_marks", 400)
        unchanged()
        status, body = sign(url, marker["token"], code, bad)
        assert status == 400 and body["error"]["code"] in ("invalid_marks",), (label, status, body)
        unchanged()

    # Someone else's code: the other marker's own sheet is theirs, this one is not; a stranger is refused.
    stranger = next(m for m in batch["examiners"] if m["id"] not in (marker["id"], other["id"]))
    status, body = mark(url, stranger["token"], code, {key: full})
    expect_error(status, body, "not_assigned", 403)
    status, body = sign(url, stranger["token"], code, {key: full})
    expect_error(status, body, "not_assigned", 403)
    unchanged()

    # Signing with points unmarked.
    status, body = sign(url, marker["token"], code)
    expect_error(status, body, "incomplete", 400)
    unchanged()

    # Complete, sign (the last sheet in the body), then nothing moves it.
    final = sheet_for_total(body_of(url, marker, code), 90)
    status, signed = sign(url, marker["token"], code, final, comment="初评")
    assert status == 200 and signed["total"] == 90, signed
    status, body = submission(url, marker["token"], code)
    assert body["sheet"]["marks"] == final and body["sheet"]["total"] == 90 and body["sheet"].get("signedAt")
    sheet = body["sheet"]
    listed = [a for a in queue(url, marker["token"]) if a["code"] == code]
    assert [a["status"] for a in listed] == ["signed"] and listed[0].get("signedAt")
    status, body = sign(url, marker["token"], code)
    expect_error(status, body, "already_signed", 409)
    status, body = sign(url, marker["token"], code, {key: full})
    expect_error(status, body, "already_signed", 409)
    status, body = mark(url, marker["token"], code, {key: full})
    expect_error(status, body, "already_signed", 409)
    unchanged()
    # The second marker works unaffected; 90 and 90 agree, far from the pass mark.
    status, body = sign(url, other["token"], code, sheet_for_total(body_of(url, other, code), 90))
    assert status == 200 and body["total"] == 90
    row = pairs(batch)[code]["row"]
    assert row["status"] == "final" and row.get("marked") == 90 and row["adjudicated"] is False


def body_of(url, marker, code):
    status, body = submission(url, marker["token"], code)
    assert status == 200, body
    return body


# ---------------------------------------------------------------- the decision rule


def test_the_decision_rule_case_by_case(batch):
    url = batch["url"]
    head = chief(batch)
    state = batch["state"]
    by_rank = {}
    for code, pair in state["pairs"].items():
        by_rank[candidate_by_id(batch, pair["candidate"])["rank"]] = (code, pair)
    entered = {}

    # Both markers sign; a case expecting adjudication shows it, and only then reaches the chief.
    for rank, case in CASES.items():
        code, pair = by_rank[rank]
        whole = worth(body_of(url, pair["first"], code))
        t1, t2 = on_step(case["first"] * whole), on_step(case["second"] * whole)
        # Not yet needing a third mark: the chief is refused.
        status, body = submission(url, head["token"], code)
        expect_error(status, body, "not_assigned", 403)
        first_sheet = sheet_for_total(body_of(url, pair["first"], code), t1)
        status, body = sign(url, pair["first"]["token"], code, first_sheet, comment="初评意见", comments={"Q1": "要点基本完整"})
        assert status == 200 and body["total"] == t1, body
        assert pairs(batch)[code]["row"]["status"] == "marking"
        second_sheet = sheet_for_total(body_of(url, pair["second"], code), t2)
        status, body = sign(url, pair["second"]["token"], code, second_sheet, comment="复评意见")
        assert status == 200 and body["total"] == t2, body
        objective = call(url, "GET", f"/api/v1/sittings/{batch['ability']}/scores/{pair['candidate']}", batch["admin"])[1]["objective"]
        provisional = objective + (t1 + t2) / 2
        adjudicate = abs(t1 - t2) > 0.1 * whole or abs(provisional - 60) <= 2
        assert adjudicate == ("third" in case), (rank, t1, t2, provisional)
        entered[rank] = {"code": code, "t1": t1, "t2": t2, "whole": whole, "objective": objective,
                         "first": first_sheet, "second": second_sheet}
        row = pairs(batch)[code]["row"]
        if adjudicate:
            assert row["status"] == "adjudication" and row.get("marked") is None and row.get("reason"), row
        else:
            assert row["status"] == "final" and row.get("marked") == (t1 + t2) / 2 and row["adjudicated"] is False, row
            status, body = submission(url, head["token"], code)
            expect_error(status, body, "not_assigned", 403)

    view = progress(url, batch["admin"], batch["ability"])
    adjudications = [rank for rank, case in CASES.items() if "third" in case]
    assert view["adjudication"] == len(adjudications)
    assert_counts(view)

    # The chief's queue: exactly the adjudications, as third marker.
    listed = {a["code"]: a for a in queue(url, head["token"])}
    assert set(listed) == {entered[rank]["code"] for rank in adjudications}
    assert all(a["role"] == "third" and a["status"] == "todo" for a in listed.values())

    for rank in adjudications:
        e = entered[rank]
        code, pair = by_rank[rank]
        status, body = submission(url, head["token"], code)
        assert status == 200 and body["role"] == "third" and body["status"] == "adjudication", body
        others = {other["role"]: other for other in body["others"]}
        assert set(others) == {"first", "second"}
        assert others["first"]["total"] == e["t1"] and others["second"]["total"] == e["t2"]
        assert others["first"]["marks"] == e["first"] and others["second"]["marks"] == e["second"]
        assert others["first"]["comment"] == "初评意见" and others["second"]["comment"] == "复评意见"
        assert others["first"]["comments"] == {"Q1": "要点基本完整"}
        text = all_text(body)
        person = candidate_by_id(batch, pair["candidate"])
        for word in (pair["first"]["name"], pair["second"]["name"], pair["first"]["username"], pair["second"]["username"],
                     pair["first"]["id"], pair["second"]["id"], person["name"], person["idNumber"], person["id"]):
            assert word not in text, word
        # The first and second markers still cannot see each other's sheet.
        first_view = body_of(url, pair["first"], code)
        assert not first_view.get("others")
        third = on_step(CASES[rank]["third"] * e["whole"])
        status, body = sign(url, head["token"], code, sheet_for_total(body_of(url, head, code), third), comment="组长裁定")
        assert status == 200 and body["total"] == third, body
        e["third"] = third
        row = pairs(batch)[code]["row"]
        assert row["status"] == "final" and row.get("marked") == third and row["adjudicated"] is True, row
        assert sorted(m["role"] for m in row["markers"]) == ["first", "second", "third"]
        assert all(m["signed"] for m in row["markers"])
        status, body = sign(url, head["token"], code)
        expect_error(status, body, "already_signed", 409)

    view = progress(url, batch["admin"], batch["ability"])
    assert view["adjudication"] == 0
    assert view["final"] == len(CASES) + 1  # and the bad-input case
    assert_counts(view)
    state["entered"] = entered


def assert_counts(view):
    statuses = [row["status"] for row in view["rows"]]
    assert view["submissions"] == len(view["rows"])
    assert view["final"] == statuses.count("final")
    assert view["marking"] == statuses.count("marking")
    assert view["adjudication"] == statuses.count("adjudication")
    assert view["unassigned"] == statuses.count("unassigned")
    assert view["final"] + view["marking"] + view["adjudication"] + view["unassigned"] == view["submissions"]


# ---------------------------------------------------------------- the part score


def test_the_marked_score_makes_the_part_and_59_5_fails(batch):
    url, admin = batch["url"], batch["admin"]
    entered = batch["state"]["entered"]
    status, body = call(url, "POST", "/api/v1/batches", admin, {"theory": batch["theory"], "ability": batch["ability"]})
    assert status == 201, body
    batch_id = body["batch"]["id"]
    status, body = call(url, "GET", f"/api/v1/batches/{batch_id}/results", admin)
    assert status == 200, body
    # Three submissions are still unmarked: not ready.
    assert body["ready"] is False and body["blockers"]
    rows = {row["candidate"]: row for row in body["results"]}
    for rank, e in entered.items():
        person = batch["candidates"][rank]
        part = rows[person["id"]]["ability"]
        marked = e.get("third", (e["t1"] + e["t2"]) / 2)
        assert part["status"] == "scored" and part["marked"] == marked and part["objective"] == e["objective"], (rank, part)
        assert part["score"] == e["objective"] + marked and part["deduction"] in (0, None)
        assert rows[person["id"]]["passedAbility"] is (part["score"] >= 60), (rank, part)
    assert rows[batch["candidates"][3]["id"]]["ability"]["score"] == 59.5 and rows[batch["candidates"][3]["id"]]["passedAbility"] is False
    assert rows[batch["candidates"][4]["id"]]["ability"]["score"] == 60 and rows[batch["candidates"][4]["id"]]["passedAbility"] is True
    for person in batch["candidates"]:
        theory = rows[person["id"]]["theory"]
        expected = theory_points(batch, person)
        assert theory["status"] == "scored" and theory["score"] == expected == theory["objective"], (person["rank"], theory)
        assert rows[person["id"]]["passedTheory"] is (expected >= 60)
        assert rows[person["id"]]["passed"] is (rows[person["id"]]["passedTheory"] and rows[person["id"]]["passedAbility"])
    for rank in (7, 8, 9):
        part = rows[batch["candidates"][rank]["id"]]["ability"]
        assert part["status"] == "pending" and part.get("score") is None and rows[batch["candidates"][rank]["id"]]["passedAbility"] is False


# ---------------------------------------------------------------- immutability


def test_the_database_refuses_to_change_a_signed_sheet(batch):
    """"after signing the sheet is immutable (the database refuses any change to a signed sheet)"."""
    url = batch["url"]
    code, pair = next((c, p) for c, p in batch["state"]["pairs"].items() if candidate_by_id(batch, p["candidate"])["rank"] == 1)
    before = body_of(url, pair["first"], code)["sheet"]
    connection = sqlite3.connect(str(batch["data"] / "assay.sqlite"), timeout=30)
    try:
        signed = connection.execute("SELECT COUNT(*) FROM marking_sheet WHERE code = ? AND signed_at IS NOT NULL", (code,)).fetchone()[0]
        assert signed == 3
        with pytest.raises(sqlite3.DatabaseError):
            connection.execute("UPDATE marking_sheet SET total = 0 WHERE code = ?", (code,))
        connection.rollback()
        with pytest.raises(sqlite3.DatabaseError):
            connection.execute("DELETE FROM marking_sheet WHERE code = ?", (code,))
        connection.rollback()
    finally:
        connection.close()
    assert body_of(url, pair["first"], code)["sheet"] == before
