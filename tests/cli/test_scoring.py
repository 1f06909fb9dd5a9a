"""Theory hand-ins are scored when handed in (issue 7 §1), checked independently.

A candidate takes a short theory sitting over the real WebSocket and hands in. The server's
score, item by item, is then recomputed here from what the candidate saw (option texts in their
own shuffled order) and the bank's keys read by a custodian: the letters are mapped back by
option text, not by anything the server says about the shuffle.
"""

import asyncio
import csv
import io
import json
import time
import unicodedata
import urllib.request

import websockets

from conftest import api_status_call
from test_sitting_runtime import answer_for, candidate_id, login, prepare, receive, receive_paper, sit_login, ws_ticket, ws_url


def normalise(text):
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def expected_points(item, shown, answer, bank):
    """What the answer earns: the rules of the standard's default (all-or-nothing multiple choice)."""
    content = bank["content"]
    points = item["points"]
    if answer is None:
        return 0
    canonical_of = {text: letter for letter, text in content["options"].items()}
    shown_text = {option["letter"]: option["text"] for option in shown.get("options") or []}
    if item["type"] == "single_choice":
        return points if canonical_of[shown_text[answer["choice"]]] == content["answer"] else 0
    if item["type"] == "multiple_choice":
        chosen = sorted(canonical_of[shown_text[letter]] for letter in answer["choices"])
        return points if chosen == sorted(content["answers"]) else 0
    if item["type"] == "true_false":
        return points if answer["value"] == content["truth"] else 0
    if item["type"] == "fill_in":
        each = points / len(content["blanks"])
        return round(sum(each for given, variants in zip(answer["blanks"], content["blanks"])
                         if normalise(given) and normalise(given) in {normalise(v) for v in variants}), 2)
    raise AssertionError(item["type"])


def sit_and_hand_in(live, ticket, choose):
    """The candidate signs in, saves `choose(index, item)` for each item (None skips it) and hands
    in; returns their paper and what was saved."""
    url, sitting = live["url"], live["sitting"]
    token = sit_login(url, ticket)
    given = {}

    async def scenario():
        async with websockets.connect(ws_url(url, ws_ticket(url, sitting, token))) as socket:
            await receive(socket, "welcome")
            paper = await receive_paper(socket, timeout=60)
            seq = 0
            for index, item in enumerate(paper["items"]):
                answer = choose(index, item)
                if answer is None:
                    continue
                seq += 1
                await socket.send(json.dumps({"type": "save", "seq": seq, "item": item["key"], "answer": answer}))
                assert (await receive(socket, "ack"))["seq"] == seq
                given[item["key"]] = answer
            await socket.send(json.dumps({"type": "handIn", "seq": seq + 1}))
            await receive(socket, "handedIn")
            return paper

    return asyncio.run(scenario()), given, token


def wait_score(live, candidate, timeout=10):
    """The candidate's score once the scorer has written it (404 not_scored until then)."""
    deadline = time.monotonic() + timeout
    while True:
        status, body = api_status_call(live["url"], f"/api/v1/sittings/{live['sitting']}/scores/{candidate}", live["admin"])
        if status == 200:
            return body
        assert status == 404 and body["error"]["code"] == "not_scored" and time.monotonic() < deadline, body
        time.sleep(0.2)


def test_a_theory_hand_in_is_scored_through_the_candidates_own_shuffle(tmp_path):
    live = prepare(tmp_path, start_in=12, minutes=2, late=1)
    try:
        url, sitting = live["url"], live["sitting"]
        ticket = live["tickets"][0]

        def choose(index, item):
            if index % 5 == 4:
                return None  # some left unanswered
            if item["type"] == "single_choice":
                return {"choice": item["options"][index % len(item["options"])]["letter"]}
            if item["type"] == "true_false":
                return {"value": index % 2 == 0}
            return answer_for(item)

        paper, given, token = sit_and_hand_in(live, ticket, choose)
        me = candidate_id(live, ticket)
        score = wait_score(live, me)
        assert score["rules"] == {"multiple_choice": "all_or_nothing", "partial_share": 0.5}
        assert len(score["items"]) == len(paper["items"]) and score["pending"] == 0

        custodian = login(url, "custodian", "silver-key-5086")
        shown = {item["key"]: item for item in paper["items"]}
        total = 0
        for item in score["items"]:
            status, bank = api_status_call(url, f"/api/v1/items/{item['item']}?version={item['version']}&purpose=scoring-check", custodian)
            assert status == 200, bank
            expected = expected_points(item, shown[item["key"]], given.get(item["key"]), bank)
            assert item["awarded"] == expected, (item, given.get(item["key"]), bank["content"])
            total += expected
        assert abs(score["objective"] - round(total, 2)) < 1e-9
        assert 0 < score["objective"] < score["maximum"]

        # The list shows the candidate with the same score; candidates cannot read it.
        status, listing = api_status_call(url, f"/api/v1/sittings/{sitting}/scores", live["admin"])
        assert status == 200 and listing["handedIn"] == 1
        assert [row["objective"] for row in listing["scores"] if row["candidate"] == me] == [score["objective"]]
        status, _ = api_status_call(url, f"/api/v1/sittings/{sitting}/scores", token)
        assert status == 403
        # The export lists the same score (CSV with a BOM; XLSX as well).
        request = urllib.request.Request(url + f"/api/v1/sittings/{sitting}/scores/export?format=csv", headers={"Authorization": f"Bearer {live['admin']}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            rows = list(csv.reader(io.StringIO(response.read().decode("utf-8-sig"))))
        assert rows[0][:4] == ["考场", "座号", "姓名", "客观题得分"]
        assert [float(row[3]) for row in rows[1:] if row[2] == ticket["candidate"]["name"]] == [score["objective"]]
        request = urllib.request.Request(url + f"/api/v1/sittings/{sitting}/scores/export?format=xlsx", headers={"Authorization": f"Bearer {live['admin']}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.read()[:2] == b"PK"
    finally:
        live["server"].stop()


def test_a_corrected_key_rescores_only_that_item_and_says_so(tmp_path):
    live = prepare(tmp_path, start_in=12, minutes=2, late=1)
    try:
        url, sitting = live["url"], live["sitting"]
        ticket = live["tickets"][0]
        paper, _, token = sit_and_hand_in(live, ticket, lambda index, item: answer_for(item))
        me = candidate_id(live, ticket)
        before = wait_score(live, me)
        custodian = login(url, "custodian", "silver-key-5086")
        shown = {item["key"]: item for item in paper["items"]}
        # A single-choice item the candidate got wrong: its key is "corrected" to what they chose.
        target = None
        for item in before["items"]:
            if item["type"] == "single_choice" and item["awarded"] == 0:
                _, bank = api_status_call(url, f"/api/v1/items/{item['item']}?version={item['version']}", custodian)
                chosen_text = {o["letter"]: o["text"] for o in shown[item["key"]]["options"]}[answer_for(shown[item["key"]])["choice"]]
                target = (item, next(letter for letter, text in bank["content"]["options"].items() if text == chosen_text))
                break
        assert target, "the candidate got every single-choice item right"
        item, letter = target
        path = f"/api/v1/items/{item['item']}/key-corrections"
        # Bad input changes nothing.
        for bad, code in [({"version": item["version"], "answers": ["A", "B"], "reason": "x"}, "bad_key"),
                          ({"version": item["version"], "answer": letter, "reason": " "}, "reason_required"),
                          ({"version": 999, "answer": letter, "reason": "x"}, "not_found")]:
            status, body = api_status_call(url, path, live["admin"], bad)
            assert body["error"]["code"] == code, body
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/scores/{me}", live["admin"])
        assert body == before
        status, _ = api_status_call(url, path, token, {"version": item["version"], "answer": letter, "reason": "x"})
        assert status == 403

        status, body = api_status_call(url, path, live["admin"], {"version": item["version"], "answer": letter, "reason": "原答案有误，经专家复核更正"})
        assert status == 201, body
        assert body["rescored"] == [{"sitting": sitting, "candidate": me, "before": before["objective"], "after": before["objective"] + item["points"]}]
        status, after = api_status_call(url, f"/api/v1/sittings/{sitting}/scores/{me}", live["admin"])
        moved = [(b["key"], b["awarded"], a["awarded"]) for b, a in zip(before["items"], after["items"]) if b != a]
        assert moved == [(item["key"], 0, item["points"])]
        connection = __import__("sqlite3").connect(f"file:{live['data'] / 'assay.sqlite'}?mode=ro", uri=True)
        try:
            actions = [row[0] for row in connection.execute("SELECT action FROM audit_entry WHERE action LIKE 'scoring.%' ORDER BY seq")]
            payload = json.loads(connection.execute("SELECT payload FROM audit_entry WHERE action = 'scoring.rescored'").fetchone()[0])
        finally:
            connection.close()
        assert actions == ["scoring.key_corrected", "scoring.rescored"]
        assert payload["before"] == before["objective"] and payload["after"] == after["objective"]
    finally:
        live["server"].stop()
