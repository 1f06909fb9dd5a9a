"""Results (成绩) over the API (docs/MARKING.md): batches, misconduct tiers, the pass mark,
publication, what candidates see, re-checks (成绩复核) and the export, against a live server.

One batch for the whole module (tests/cli/marking_fixture.py). Misconduct is decided by the exam
administrator while the sittings are live: a deduction larger than the part's score, a deduction,
a subject void, a sitting void, a warning and a ban, on six different candidates. The tests run in file
order on the shared state. Expected results are computed here from the answers the fixture gave on
purpose, the marks the tests entered and the contract's rules.
"""

import csv
import datetime
import io
import json
import sqlite3
import time

import pytest

from conftest import login_token, run_assay
from marking_fixture import call, download, mark_all, prepare_batch, theory_points, xlsx_rows

CHINA = datetime.timezone(datetime.timedelta(hours=8))
RECHECK_DAYS = 10

MISCONDUCT = [
    {"candidate": 0, "part": "ability", "tier": "deduction", "points": 50, "reason": "携带与考试无关的资料"},
    {"candidate": 2, "part": "theory", "tier": "deduction", "points": 5, "reason": "考试中多次离开摄像范围"},
    {"candidate": 3, "part": "ability", "tier": "subject_void", "reason": "使用未经允许的外部工具"},
    {"candidate": 4, "part": "theory", "tier": "sitting_void", "reason": "他人代考"},
    {"candidate": 5, "part": "ability", "tier": "warning", "reason": "未按要求调整摄像头"},
    {"candidate": 9, "part": "theory", "tier": "ban", "banYears": 3, "reason": "组织作弊"},
]
# Ability marks per rank: (first, second[, chief's third]); rank 1 is 14 apart and needs the chief.
TOTALS = {0: (40, 44), 1: (60, 74, 72), 2: (80, 84), 3: (75, 75), 4: (90, 90), 5: (66, 70), 6: (85, 89),
          7: (50, 56), 8: (77, 81), 9: (95, 99)}
LAST = 9  # marked last, after checking that publication waits for it


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    prepared = prepare_batch(tmp_path_factory.mktemp("results"), misconduct=MISCONDUCT)
    prepared["state"] = {}
    yield prepared
    prepared["server"].stop()


def expect_error(status, body, code, http):
    assert (status, body.get("error", {}).get("code")) == (http, code), (status, body)


def china_date(text):
    """The China-time calendar date of an ISO date or timestamp."""
    if len(text) == 10:
        return datetime.date.fromisoformat(text)
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(CHINA).date()


def add_working_days(day, count):
    while count:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def batch_list(batch, token=None):
    status, body = call(batch["url"], "GET", "/api/v1/batches", token or batch["admin"])
    assert status == 200, body
    return body["batches"]


def results(batch):
    status, body = call(batch["url"], "GET", f"/api/v1/batches/{batch['state']['id']}/results", batch["admin"])
    assert status == 200, body
    return body


def decisions_of(batch, rank):
    return [d for d in batch["misconduct"] if d["rank"] == rank]


def expected_row(batch, person, corrections=None):
    """A candidate's row per the contract, from the answers, the marks and the misconduct decided."""
    corrections = corrections or {}
    rank = person["rank"]
    totals = TOTALS[rank]
    marked = totals[2] if len(totals) > 2 else (totals[0] + totals[1]) / 2
    raw = {"theory": theory_points(batch, person), "ability": marked}
    parts = {}
    decided = decisions_of(batch, rank)
    sitting_void = any(d["tier"] in ("sitting_void", "ban") for d in decided)
    for part in ("theory", "ability"):
        mine = [d for d in decided if d["part"] == part]
        deduction = sum(d.get("points") or 0 for d in mine if d["tier"] == "deduction")
        if sitting_void or any(d["tier"] == "subject_void" for d in mine):
            parts[part] = {"status": "void", "score": None, "deduction": deduction, "decisions": mine}
        else:
            score = corrections.get(part, max(0, raw[part] - deduction))
            parts[part] = {"status": "scored", "score": score, "deduction": deduction, "decisions": mine}
    passed_theory = parts["theory"]["status"] == "scored" and parts["theory"]["score"] >= 60
    passed_ability = parts["ability"]["status"] == "scored" and parts["ability"]["score"] >= 60
    return parts, raw, passed_theory, passed_ability


def check_row(batch, row, person, corrections=None):
    parts, raw, passed_theory, passed_ability = expected_row(batch, person, corrections)
    for part in ("theory", "ability"):
        got, want = row[part], parts[part]
        assert got["status"] == want["status"], (person["rank"], part, got)
        assert got.get("score") == want["score"], (person["rank"], part, got, want)
        if want["status"] == "scored" and part not in (corrections or {}):
            assert (got["deduction"] or 0) == want["deduction"], (person["rank"], part, got)
            if part == "ability":
                assert got["marked"] == raw["ability"] and got["objective"] == 0, got
            else:
                assert got["objective"] == raw["theory"], got
        listed = {(m["tier"], m.get("points")) for m in got["misconduct"]}
        for decision in want["decisions"]:
            assert (decision["tier"], decision.get("points")) in listed, (person["rank"], part, got["misconduct"])
            entry = next(m for m in got["misconduct"] if m["tier"] == decision["tier"])
            assert entry["reason"] == decision["reason"] and entry["decidedBy"] == decision["decidedBy"]
    assert row["passedTheory"] is passed_theory, (person["rank"], row)
    assert row["passedAbility"] is passed_ability, (person["rank"], row)
    assert row["passed"] is (passed_theory and passed_ability)


# ---------------------------------------------------------------- batches


def published_sitting_of_another_direction(batch):
    """A published theory sitting of 2-02-10-09 初级 计算机视觉产品实现: one candidate registered
    through a roster (`assay roster import`), approved by the exam administrator, placed and staffed."""
    url, admin = batch["url"], batch["admin"]
    direction = "计算机视觉产品实现"
    roster = batch["data"].parent / "other-direction.csv"
    with open(roster, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([
            ["姓名", "证件类型", "证件号码", "职业编码", "等级", "方向", "学历", "相关专业", "培训学时", "工作单位"],
            ["欧阳明", "居民身份证", "110101199505058880", "2-02-10-09", "初级", direction, "本科", "是", "128", "示范科技有限公司"],
        ])
    run_assay("roster", "import", str(roster), data=batch["data"], check=True)
    status, body = call(url, "GET", "/api/v1/applications?occupation=2-02-10-09&level=%E5%88%9D%E7%BA%A7", admin)
    assert status == 200, body
    (application,) = [a["application"] for a in body["applications"] if a["application"]["form"]["direction"] == direction]
    status, body = call(url, "POST", f"/api/v1/applications/{application['id']}/decision", admin, {"decision": "approve"})
    assert status == 200, body
    starts = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=30)).isoformat(timespec="seconds")
    status, body = call(url, "POST", "/api/v1/sittings", admin, {
        "occupation": "2-02-10-09", "level": "初级", "direction": direction, "part": "theory",
        "startsAt": starts, "venue": "在线考点", "rooms": [{"name": "视觉1", "capacity": 5}]})
    assert status == 201, body
    sitting = body["sitting"]["id"]
    for path, payload in [("place", {}), ("staff", {"room": "视觉1", "staff": [m["id"] for m in batch["theory_staff"]]}),
                          ("supervisors", {"supervisors": [batch["supervisor"]["id"]]}), ("publish", {})]:
        status, body = call(url, "POST", f"/api/v1/sittings/{sitting}/{path}", admin, payload)
        assert status == 200, (path, body)
    assert body["sitting"]["status"] == "published"
    return sitting


def test_a_batch_joins_two_published_sittings_of_one_exam_once(batch):
    url, admin = batch["url"], batch["admin"]
    theory, ability = batch["theory"], batch["ability"]
    before = batch_list(batch)
    # A published theory sitting of another direction, and the demo's draft practical sitting of this exam.
    other_exam = published_sitting_of_another_direction(batch)
    _, listed = call(url, "GET", "/api/v1/sittings", admin)
    demo_draft = next(s["id"] for s in listed["sittings"] if s["part"] == "ability" and s["status"] == "draft")
    for label, payload in [
        ("the same sitting twice", {"theory": theory, "ability": theory}),
        ("the parts swapped", {"theory": ability, "ability": theory}),
        ("another exam's sitting", {"theory": other_exam, "ability": ability}),
        ("an unpublished sitting", {"theory": theory, "ability": demo_draft}),
        ("an unknown sitting", {"theory": theory, "ability": "SIT-20000101-000000"}),
        ("no ability sitting", {"theory": theory}),
    ]:
        status, body = call(url, "POST", "/api/v1/batches", admin, payload)
        assert 400 <= status < 500 and body.get("error", {}).get("code"), (label, status, body)
        assert batch_list(batch) == before, label
    for who in (batch["supervisor"]["token"], batch["examiners"][0]["token"], batch["candidates"][0]["token"]):
        status, _ = call(url, "POST", "/api/v1/batches", who, {"theory": theory, "ability": ability})
        assert status == 403

    status, body = call(url, "POST", "/api/v1/batches", admin, {"theory": theory, "ability": ability, "recheckDays": RECHECK_DAYS})
    assert status == 201, body
    created = body["batch"]
    assert (created["theory"], created["ability"], created["occupation"], created["level"], created["direction"]) == \
           (theory, ability, "2-02-10-09", "初级", "人工智能平台产品实现")
    assert created["status"] == "open" and created.get("publishedAt") is None and created["recheckDays"] == RECHECK_DAYS
    assert created["openRechecks"] == 0
    batch["state"]["id"] = created["id"]
    # Each sitting in one batch only.
    status, body = call(url, "POST", "/api/v1/batches", admin, {"theory": theory, "ability": ability})
    assert 400 <= status < 500 and body.get("error", {}).get("code"), (status, body)
    mine = [b for b in batch_list(batch) if b["id"] == created["id"]]
    assert len(batch_list(batch)) == len(before) + 1 and mine == [created]
    assert [b["id"] for b in batch_list(batch, batch["supervisor"]["token"])] == [b["id"] for b in batch_list(batch)]
    status, _ = call(url, "GET", "/api/v1/batches", batch["candidates"][0]["token"])
    assert status == 403


# ---------------------------------------------------------------- before publication


def test_nothing_is_published_or_visible_while_marking_is_open(batch):
    url, admin, batch_id = batch["url"], batch["admin"], batch["state"]["id"]
    body = results(batch)
    assert body["ready"] is False and body["blockers"]
    void = {batch["candidates"][d["rank"]]["id"] for d in batch["misconduct"] if d["tier"] in ("subject_void", "sitting_void", "ban") and
            (d["part"] == "ability" or d["tier"] != "subject_void")}
    assert all(row["ability"]["status"] == ("void" if row["candidate"] in void else "pending") for row in body["results"]), body["results"]
    status, body = call(url, "POST", f"/api/v1/batches/{batch_id}/publish", admin, {})
    expect_error(status, body, "not_ready", 409)
    assert body["error"]["message"]
    for person in batch["candidates"]:
        status, body = call(url, "GET", "/api/v1/results/mine", person["token"])
        assert status == 200 and body["results"] == [], body
    # No published result: a re-check request is not found.
    status, body = call(url, "POST", f"/api/v1/results/mine/{batch_id}/rechecks", batch["candidates"][7]["token"],
                        {"part": "ability", "scope": "summation_error", "reason": "合分有误"})
    expect_error(status, body, "not_found", 404)

    # Everything but one submission marked: still not ready, still nothing to see.
    entered = mark_all(batch, {rank: totals for rank, totals in TOTALS.items() if rank != LAST})
    body = results(batch)
    assert body["ready"] is False and body["blockers"]
    status, body = call(url, "POST", f"/api/v1/batches/{batch_id}/publish", admin, {})
    expect_error(status, body, "not_ready", 409)
    assert [b for b in batch_list(batch) if b["id"] == batch_id][0]["status"] == "open"
    for person in batch["candidates"]:
        assert call(url, "GET", "/api/v1/results/mine", person["token"])[1]["results"] == []
    entered.update(mark_all(batch, {LAST: TOTALS[LAST]}))
    assert sorted(entered) == sorted(TOTALS)
    assert "third" in entered[1] and all("third" not in e for rank, e in entered.items() if rank != 1)
    batch["state"]["entered"] = entered
    body = results(batch)
    assert body["ready"] is True and body["blockers"] == []


def test_results_apply_misconduct_tiers_and_the_inclusive_pass_mark(batch):
    body = results(batch)
    rows = {row["candidate"]: row for row in body["results"]}
    assert len(rows) == len(batch["candidates"])
    for person in batch["candidates"]:
        row = rows[person["id"]]
        assert row["name"] == person["name"]
        check_row(batch, row, person)
    # The cases spelled out (the ranks' theory scores come from the fixture's pattern).
    people = batch["candidates"]
    assert rows[people[0]["id"]]["ability"]["score"] == 0  # 42 − 50, not below 0
    assert rows[people[4]["id"]]["theory"]["status"] == rows[people[4]["id"]]["ability"]["status"] == "void"
    assert rows[people[3]["id"]]["ability"]["status"] == "void" and rows[people[3]["id"]]["theory"]["status"] == "scored"
    banned = rows[people[9]["id"]]
    assert banned["theory"]["status"] == banned["ability"]["status"] == "void" and banned["passed"] is False
    assert [(m["tier"], m.get("banYears")) for m in banned["theory"]["misconduct"]] == [("ban", 3)]
    assert rows[people[5]["id"]]["ability"]["score"] == 68 and [m["tier"] for m in rows[people[5]["id"]]["ability"]["misconduct"]] == ["warning"]
    sixty = [p for p in people if theory_points(batch, p) == 60 and not decisions_of(batch, p["rank"])]
    assert sixty and all(rows[p["id"]]["passedTheory"] is True for p in sixty), "60 passes: the pass mark is inclusive"


# ---------------------------------------------------------------- publication


def test_publication_opens_the_recheck_window_and_candidates_see_their_own_result(batch):
    url, admin, batch_id = batch["url"], batch["admin"], batch["state"]["id"]
    before = results(batch)
    status, body = call(url, "POST", f"/api/v1/batches/{batch_id}/publish", admin, {})
    assert status == 200, body
    published = body["batch"]
    assert published["status"] == "published" and published["publishedAt"]
    opened = china_date(published["publishedAt"])
    assert china_date(published["recheckUntil"]) == add_working_days(opened, RECHECK_DAYS), published
    status, body = call(url, "POST", f"/api/v1/batches/{batch_id}/publish", admin, {})
    expect_error(status, body, "already_published", 409)
    after = results(batch)
    rows = {row["candidate"]: row for row in after["results"]}
    for row in before["results"]:
        assert {k: v for k, v in rows[row["candidate"]].items() if k != "revision"} == {k: v for k, v in row.items() if k != "revision"}
        assert rows[row["candidate"]].get("revision") == 1
    batch["state"]["published"] = published

    others = {p["id"]: p for p in batch["candidates"]}
    for person in batch["candidates"]:
        status, body = call(url, "GET", "/api/v1/results/mine", person["token"])
        assert status == 200, body
        (mine,) = body["results"]
        row = rows[person["id"]]
        assert mine["batch"] == batch_id and (mine["occupation"], mine["level"], mine["direction"]) == ("2-02-10-09", "初级", "人工智能平台产品实现")
        assert mine["theory"] == row["theory"] and mine["ability"] == row["ability"]
        assert (mine["passedTheory"], mine["passedAbility"], mine["passed"]) == (row["passedTheory"], row["passedAbility"], row["passed"])
        assert mine["publishedAt"] == published["publishedAt"] and mine["recheckUntil"] == published["recheckUntil"]
        assert mine["canRecheck"] is True and mine["rechecks"] == []
        text = json.dumps(body, ensure_ascii=False)
        for other in others.values():
            if other["id"] != person["id"]:
                assert other["name"] not in text and other["id"] not in text and other["idNumber"] not in text
        status, _ = call(url, "GET", f"/api/v1/batches/{batch_id}/results", person["token"])
        assert status == 403


# ---------------------------------------------------------------- re-checks


def test_rechecks_from_request_to_correction(batch):
    url, admin, batch_id = batch["url"], batch["admin"], batch["state"]["id"]
    people = batch["candidates"]
    asker, other = people[7], people[8]
    path = f"/api/v1/results/mine/{batch_id}/rechecks"
    body_admin = login_token(url, {"username": "admin", "password": "jade-river-4821"})

    def rechecks():
        status, body = call(url, "GET", f"/api/v1/batches/{batch_id}/rechecks", admin)
        assert status == 200, body
        return body["rechecks"]

    def certification(token=admin):
        status, body = call(url, "GET", f"/api/v1/batches/{batch_id}/certification", token)
        assert status == 200, body
        return body

    assert certification()["ready"] is True and certification()["blockers"] == []
    for label, payload in [("a re-mark is not a re-check", {"part": "ability", "scope": "remark", "reason": "我觉得评分偏低"}),
                           ("an empty scope", {"part": "ability", "scope": "", "reason": "x"})]:
        status, body = call(url, "POST", path, asker["token"], payload)
        expect_error(status, body, "invalid_scope", 400)
    # A body without a scope is malformed: refused (the API's generic shape error is fine).
    status, body = call(url, "POST", path, asker["token"], {"part": "ability", "reason": "x"})
    assert status == 400 and body["error"]["code"] in ("invalid_scope", "bad_request"), body
    assert rechecks() == []
    status, body = call(url, "POST", "/api/v1/results/mine/BATCH-NONE/rechecks", asker["token"], {"part": "ability", "scope": "summation_error", "reason": "x"})
    expect_error(status, body, "not_found", 404)

    before = {row["candidate"]: row for row in results(batch)["results"]}[asker["id"]]
    status, body = call(url, "POST", path, asker["token"], {"part": "ability", "scope": "summation_error", "reason": "两位考评员的分数合计有误"})
    assert status == 201, body
    request = body["recheck"]
    assert request["part"] == "ability" and request["scope"] == "summation_error" and request["status"] == "open"
    assert china_date(request["answerBy"]) == add_working_days(china_date(request["requestedAt"]), RECHECK_DAYS), request
    status, body = call(url, "POST", path, asker["token"], {"part": "ability", "scope": "recording_error", "reason": "再次申请"})
    expect_error(status, body, "recheck_open", 409)
    # Another candidate asks about the theory part: answered unchanged later.
    status, body = call(url, "POST", path, other["token"], {"part": "theory", "scope": "missing_score", "reason": "理论成绩漏登"})
    assert status == 201, body
    unchanged_request = body["recheck"]

    listed = {r["id"]: r for r in rechecks()}
    assert set(listed) == {request["id"], unchanged_request["id"]}
    assert listed[request["id"]]["candidate"] == asker["id"] and listed[request["id"]]["name"] == asker["name"]
    assert listed[request["id"]]["reason"] == "两位考评员的分数合计有误"
    assert [b for b in batch_list(batch) if b["id"] == batch_id][0]["openRechecks"] == 2
    for token in (admin, batch["supervisor"]["token"], body_admin):
        blocked = certification(token)
        assert blocked["ready"] is False and blocked["blockers"], blocked
    mine = call(url, "GET", "/api/v1/results/mine", asker["token"])[1]["results"][0]
    assert [(r["id"], r["status"]) for r in mine["rechecks"]] == [(request["id"], "open")]
    assert other["name"] not in json.dumps(mine, ensure_ascii=False)

    decide = f"/api/v1/rechecks/{request['id']}/decision"
    for label, payload in [("an unknown outcome", {"outcome": "maybe", "note": "x"}),
                           ("a correction without a score", {"outcome": "corrected", "note": "x"}),
                           ("a score above 100", {"outcome": "corrected", "score": 101, "note": "x"}),
                           ("a negative score", {"outcome": "corrected", "score": -1, "note": "x"})]:
        status, body = call(url, "POST", decide, admin, payload)
        expect_error(status, body, "invalid_decision", 400)
    assert {r["id"]: r["status"] for r in rechecks()}[request["id"]] == "open"
    status, _ = call(url, "POST", decide, asker["token"], {"outcome": "corrected", "score": 99, "note": "x"})
    assert status == 403

    corrected_score = 61
    status, body = call(url, "POST", decide, admin, {"outcome": "corrected", "score": corrected_score, "note": "复核发现合分错误，已更正"})
    assert status == 200, body
    status, body = call(url, "POST", decide, admin, {"outcome": "unchanged", "note": "again"})
    expect_error(status, body, "already_decided", 409)
    decided = {r["id"]: r for r in rechecks()}[request["id"]]
    assert decided["status"] == "corrected" and decided["decidedAt"] and decided["note"] == "复核发现合分错误，已更正"
    assert decided["before"] == before["ability"]["score"] and decided["after"] == corrected_score
    after = {row["candidate"]: row for row in results(batch)["results"]}[asker["id"]]
    assert after.get("revision") == before.get("revision") + 1 == 2
    check_row(batch, after, asker, corrections={"ability": corrected_score})
    assert after["theory"] == before["theory"]

    # Still blocked by the other request; unchanged keeps the result and its revision.
    assert certification()["ready"] is False
    other_before = {row["candidate"]: row for row in results(batch)["results"]}[other["id"]]
    status, body = call(url, "POST", f"/api/v1/rechecks/{unchanged_request['id']}/decision", admin, {"outcome": "unchanged", "note": "经核对无漏登"})
    assert status == 200, body
    assert {row["candidate"]: row for row in results(batch)["results"]}[other["id"]] == other_before
    ready = certification()
    assert ready["ready"] is True and ready["blockers"] == [], ready
    assert [b for b in batch_list(batch) if b["id"] == batch_id][0]["openRechecks"] == 0

    # The candidate sees the corrected score and the decision.
    mine = call(url, "GET", "/api/v1/results/mine", asker["token"])[1]["results"][0]
    assert mine["ability"]["score"] == corrected_score and mine["passedAbility"] is True
    assert [(r["status"], r["before"], r["after"]) for r in mine["rechecks"]] == [("corrected", before["ability"]["score"], corrected_score)]

    # The audit log holds the old and the new score.
    connection = sqlite3.connect(f"file:{batch['data'] / 'assay.sqlite'}?mode=ro", uri=True)
    try:
        entries = [(action, json.loads(payload or "{}")) for action, payload in
                   connection.execute("SELECT action, payload FROM audit_entry WHERE action LIKE '%recheck%' ORDER BY seq")]
    finally:
        connection.close()

    def numbers(value):
        if isinstance(value, dict):
            return [n for v in value.values() for n in numbers(v)]
        if isinstance(value, list):
            return [n for v in value for n in numbers(v)]
        return [value] if isinstance(value, (int, float)) and not isinstance(value, bool) else []

    holding = [action for action, payload in entries if {before["ability"]["score"], corrected_score} <= set(numbers(payload))]
    assert holding, entries


def test_a_recheck_outside_the_window_is_closed(batch):
    """Ten working days cannot pass in a test: the stored end of the window is moved into the
    past instead (the server reads it on every request), as if the window had run out."""
    url, batch_id = batch["url"], batch["state"]["id"]
    candidate = batch["candidates"][-1]
    status, mine = call(url, "GET", "/api/v1/results/mine", candidate["token"])
    assert status == 200 and mine["results"][0]["canRecheck"] is True
    connection = sqlite3.connect(str(batch["data"] / "assay.sqlite"), timeout=30)
    try:
        with connection:
            connection.execute("UPDATE result_batch SET recheck_until = ? WHERE id = ?", (int(time.time() * 1000) - 60_000, batch_id))
    finally:
        connection.close()
    before = call(url, "GET", f"/api/v1/batches/{batch_id}/rechecks", batch["admin"])[1]["rechecks"]
    status, body = call(url, "POST", f"/api/v1/results/mine/{batch_id}/rechecks", candidate["token"],
                        {"part": "theory", "scope": "summation_error", "reason": "合分可能有误"})
    assert status == 409 and body["error"]["code"] == "recheck_closed", body
    assert call(url, "GET", f"/api/v1/batches/{batch_id}/rechecks", batch["admin"])[1]["rechecks"] == before
    status, mine = call(url, "GET", "/api/v1/results/mine", candidate["token"])
    assert status == 200 and mine["results"][0]["canRecheck"] is False


# ---------------------------------------------------------------- export


def test_the_results_export_matches_the_json(batch):
    url, admin, batch_id = batch["url"], batch["admin"], batch["state"]["id"]
    rows = results(batch)["results"]
    status, headers, data = download(url, f"/api/v1/batches/{batch_id}/results/export?format=csv", admin)
    assert status == 200 and headers["Content-Type"].startswith("text/csv"), (status, data[:200])
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    status, headers, workbook = download(url, f"/api/v1/batches/{batch_id}/results/export?format=xlsx", admin)
    assert status == 200 and workbook[:2] == b"PK"
    sheet = [row for row in xlsx_rows(workbook) if any(cell != "" for cell in row)]
    status, _, _ = download(url, f"/api/v1/batches/{batch_id}/results/export?format=csv", batch["supervisor"]["token"])
    assert status == 200
    status, _, _ = download(url, f"/api/v1/batches/{batch_id}/results/export?format=csv", batch["candidates"][0]["token"])
    assert status == 403

    for grid in (table, sheet):
        header, body = grid[0], grid[1:]
        assert len(body) == len(rows) and all(len(row) <= len(header) for row in body), grid[:3]
        for result in rows:
            (line,) = [row for row in body if result["name"] in row]
            cells = []
            for cell in line:
                try:
                    cells.append(float(cell))
                except ValueError:
                    pass
            for part in ("theory", "ability"):
                score = result[part].get("score")
                if score is not None:
                    assert any(abs(cell - score) < 1e-9 for cell in cells), (result["name"], part, score, line)
