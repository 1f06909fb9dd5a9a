"""A results batch ready for marking (docs/MARKING.md), shared by the marking, results and
statistics tests and by browser tests.

`prepare_batch(tmp)` seeds one demo data directory and serves it; it publishes a THEORY sitting and
an ABILITY (practical) sitting of the same exam (2-02-10-09 初级 人工智能平台产品实现) with the same
candidates and distinct staff, runs both over real WebSockets until every candidate has handed in,
and waits until every hand-in is scored. Nothing here looks at marking (no queue, no progress
view): submissions are made when marking is first looked at, so callers may still declare
relations (回避) first — `relations=` does it here.

Theory answers follow a fixed, deliberate pattern so item statistics are not trivial: some items
everyone gets right, some nobody does (some of those left blank), some only the weaker half of the
candidates gets right (negative discrimination), and the rest follow the candidates' ability
(candidate i of n gets more right the higher i is). The fixture records what each candidate
answered and whether it was meant to be right (checked against the bank's keys read by a
custodian, option by option through the candidate's own shuffle).

Browser tests import it the way they import test_sitting_runtime:
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "cli"))
    from marking_fixture import prepare_batch, mark, sign, queue, sheet_for_total
"""

import asyncio
import datetime
import io
import json
import math
import pathlib
import re
import sys
import time
import urllib.error
import urllib.request
import zipfile
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

import websockets  # noqa: E402

from conftest import ROOT, Server, api_status_call, read_demo_shares, run_assay  # noqa: E402
from test_sitting_runtime import PLATFORM, login, receive, receive_paper, short_exams, sit_login, ws_ticket, ws_url  # noqa: E402

OCCUPATION = "2-02-10-09"
LEVEL = "初级"
ADMIN = {"username": "examadmin", "password": "amber-field-3390"}
SUPERVISOR = {"username": "supervisor", "password": "clear-lake-9132"}
CUSTODIAN = {"username": "custodian", "password": "silver-key-5086"}
# The demo's own examiner invigilates the theory sitting with one added colleague.
DEMO_EXAMINER = {"username": "examiner", "password": "north-bridge-2649", "name": "陈静"}
STAFF_PASSWORD = "marking-panel-8352"
THEORY_ROOM = "理论1"
ABILITY_ROOM = "实训1"


# ---------------------------------------------------------------- HTTP helpers


def call(url, method, path, token=None, body=None, timeout=60):
    """A JSON API call with any method; returns (status, body) for success and error statuses alike."""
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else {}
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw) if raw else {}
        except ValueError:
            return error.code, {"raw": raw.decode("utf-8", "replace")}


def download(url, path, token, timeout=60):
    """GET raw bytes: (status, headers, bytes)."""
    request = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def upload(url, path, token, data, content_type):
    request = urllib.request.Request(url + path, data=data, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Accept": "application/json", "Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


# ---------------------------------------------------------------- marking helpers


def queue(url, token):
    """The examiner's marking queue: the list of assignments."""
    status, body = call(url, "GET", "/api/v1/marking/queue", token)
    assert status == 200, body
    return body["assignments"]


def submission(url, token, code):
    """GET /marking/{code}: (status, body)."""
    return call(url, "GET", f"/api/v1/marking/{code}", token)


def mark(url, token, code, marks_by_item, comment="", comments=None):
    """Saves a draft sheet (PUT /marking/{code}/sheet): (status, body). `marks_by_item`: {"Q1": [8, 6.5, None]}."""
    body = {"marks": marks_by_item, "comment": comment}
    if comments is not None:
        body["comments"] = comments
    return call(url, "PUT", f"/api/v1/marking/{code}/sheet", token, body)


def sign(url, token, code, marks_by_item=None, comment=None, comments=None):
    """Signs the sheet (POST /marking/{code}/sign), optionally with a last sheet: (status, body)."""
    body = {}
    if marks_by_item is not None:
        body["marks"] = marks_by_item
    if comment is not None:
        body["comment"] = comment
    if comments is not None:
        body["comments"] = comments
    return call(url, "POST", f"/api/v1/marking/{code}/sign", token, body)


def progress(url, token, sitting):
    status, body = call(url, "GET", f"/api/v1/sittings/{sitting}/marking", token)
    assert status == 200, body
    return body


def worth(submission_json):
    """What a submission's marked items are worth, from their scoring tables."""
    return sum(point["marks"] for item in submission_json["items"] for point in scoring_points(item))


def scoring_points(item):
    """An item's scoring points; an item without a table is one point worth the item's points."""
    return item.get("scoring") or [{"point": "整体评分", "marks": item["points"], "criteria": ""}]


def sheet_for_total(submission_json, total, step=0.5):
    """Marks per scoring point adding up to `total`, each between 0 and its 配分 and on the step:
    shared in proportion to the points' 配分, the remainder given step by step where room is left.
    Accepts the GET /marking/{code} body. Returns {"Q1": [..], ...}."""
    points = [(item["key"], index, point["marks"]) for item in submission_json["items"] for index, point in enumerate(scoring_points(item))]
    whole = sum(m for _, _, m in points)
    units = round(total / step)
    assert abs(units * step - total) < 1e-9, f"{total} is not a multiple of {step}"
    assert 0 <= total <= whole + 1e-9, f"{total} is outside 0…{whole}"
    given = [math.floor(total * m / whole / step + 1e-9) * step if whole else 0 for _, _, m in points]
    left = round((total - sum(given)) / step)
    while left > 0:
        for i, (_, _, m) in enumerate(points):
            if left and given[i] + step <= m + 1e-9:
                given[i] += step
                left -= 1
    sheet = {}
    for (key, _, _), value in zip(points, given):
        sheet.setdefault(key, []).append(int(value) if value == int(value) else value)
    assert abs(sum(sum(v) for v in sheet.values()) - total) < 1e-9
    return sheet


def sheet_total(sheet):
    return sum(value or 0 for values in sheet.values() for value in values)


# ---------------------------------------------------------------- exports


def xlsx_rows(data):
    """The first worksheet of an XLSX file as rows of strings (shared strings and inline strings resolved)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        shared = []
        if "xl/sharedStrings.xml" in archive.namelist():
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")) for si in root.findall("m:si", ns)]
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells = {}
        for cell in row.findall("m:c", ns):
            ref = cell.get("r")
            column = 0
            for ch in re.match(r"[A-Z]+", ref).group(0):
                column = column * 26 + ord(ch) - 64
            kind = cell.get("t")
            value = cell.find("m:v", ns)
            if kind == "s":
                text = shared[int(value.text)]
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{{{ns['m']}}}t"))
            else:
                text = value.text if value is not None and value.text is not None else ""
            cells[column - 1] = text
        rows.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
    return rows


# ---------------------------------------------------------------- theory answers


def intended_right(category, rank, count):
    """Whether candidate `rank` (0 weakest … count-1 strongest) is meant to get an item of `category` right."""
    kind, threshold = category
    if kind == "all":
        return True
    if kind == "none":
        return False
    if kind == "reverse":
        return rank < count / 2
    return rank >= threshold


def category_of(position, count):
    """The pattern of the item at `position` of the paper (0-based), for `count` candidates."""
    if position % 10 == 0:
        return ("all", None)
    if position % 10 == 1:
        return ("none", None)
    if position % 10 == 2:
        return ("reverse", None)
    # Thresholds spread over the candidates: harder items need stronger candidates.
    return ("ability", (position * 7) % max(2, count))


def theory_answer(item, bank, right, blank):
    """The candidate's answer to a delivered theory item: right or wrong on purpose (mapped through
    the candidate's own option letters by option text), or None to leave it blank."""
    if blank:
        return None
    content = bank["content"]
    kind = item["type"]
    if kind in ("single_choice", "multiple_choice"):
        canonical_of = {text: letter for letter, text in content["options"].items()}
        shown = {option["letter"]: canonical_of[option["text"]] for option in item["options"]}
        if kind == "single_choice":
            key = content["answer"]
            pick = [letter for letter, canon in shown.items() if (canon == key) == right]
            return {"choice": sorted(pick)[0]}
        keys = set(content["answers"])
        if right:
            return {"choices": sorted(letter for letter, canon in shown.items() if canon in keys)}
        wrong = [letter for letter, canon in shown.items() if canon not in keys]
        return {"choices": sorted(wrong)[:1] or sorted(shown)[:1]}
    if kind == "true_false":
        return {"value": content["truth"] if right else not content["truth"]}
    if kind == "fill_in":
        if right:
            return {"blanks": [variants[0] for variants in content["blanks"]]}
        return {"blanks": ["不知道"] * item["blanks"]}
    raise AssertionError(f"unexpected theory item type {kind}")


# ---------------------------------------------------------------- the fixture


def _assemble(data, part, exams, forms):
    assembled = run_assay(
        "paper", "assemble", "--exam", OCCUPATION, "--level", LEVEL, "--direction", PLATFORM, "--part", part,
        "--forms", str(forms), "--seed", "3", "--save", "--exams", str(exams), data=data, check=True, timeout=300,
    )
    assembly = re.search(r"Saved as (ASM-\d{8}-[0-9A-F]{6})", assembled.stdout).group(1)
    shares = sorted((data / "INSECURE-DEMO-SHARES").glob("share-*.txt"))[:3]
    run_assay("paper", "seal", assembly, *sum((["--share-file", str(s)] for s in shares), []), data=data, check=True)
    return assembly


def _add_examiner(data, username, name):
    run_assay("users", "add", username, "--name", name, "--role", "examiner", "--occupation", OCCUPATION, "--password-stdin",
              data=data, stdin=STAFF_PASSWORD + "\n", check=True)


def _publish_sitting(url, admin, part, starts, room, capacity, staff, chief, supervisor, papers):
    status, body = api_status_call(url, "/api/v1/sittings", admin, {
        "occupation": OCCUPATION, "level": LEVEL, "direction": PLATFORM, "part": part,
        "startsAt": starts.isoformat(timespec="seconds"), "venue": "在线考点", "rooms": [{"name": room, "capacity": capacity}],
    })
    assert status == 201, body
    sitting = body["sitting"]["id"]
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/place", admin, {})
    assert status == 200, body
    placed = body["sitting"]["plan"]["rooms"][0]["candidates"]
    assert len(placed) == capacity, body
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/staff", admin, {"room": room, "staff": staff, "chief": chief})
    assert status == 200, body
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/supervisors", admin, {"supervisors": [supervisor]})
    assert status == 200, body
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/publish", admin, {})
    assert status == 200, body
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/papers", admin, {"papers": papers})
    assert status == 200, body
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}", admin)
    assert status == 200, body
    people = body["people"]
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/tickets", admin)
    assert status == 200, body
    return sitting, placed, people, body["tickets"]


def _wait_scored(url, admin, sitting, count, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/scores", admin)
        assert status == 200, body
        if body["scored"] >= count and body["handedIn"] >= count:
            return body
        assert time.monotonic() < deadline, f"sitting {sitting}: {body['scored']} of {count} scored"
        time.sleep(0.3)


def prepare_batch(tmp, candidates=10, minutes=2, start_in=25, misconduct=(), relations=(), upload_for=(1,)):
    """Two published sittings of one exam (THEORY, ABILITY), the same `candidates` candidates in
    each, everybody handed in and scored. See the module docstring.

    `misconduct`: decisions taken by the exam administrator while the sitting is live, each
        {"candidate": index, "part": "theory"|"ability", "tier", "points"?, "banYears"?, "reason"?},
        filed after the candidate's answers are saved and before they hand in (a tier that ends the
        sitting hands them in as terminated). The server's decisions are in result["misconduct"].
    `relations`: declared before returning (after publication, before marking is looked at), each
        {"examiner": index into result["examiners"], "candidate": index, "kind": "relative"|...}.
    `upload_for`: candidates (indexes) whose practical answer carries an uploaded text file.

    Returns a dict: url, data, exams, server (.stop()), admin, custodian (tokens), supervisor
    ({"username","password","token","id"}), theory, ability (sitting ids), papers ({"theory": [...],
    "ability": [...]}), examiners (the ability panel: username, password, id, name, chief, room,
    token, sitting), theory_staff (same shape), candidates (id, name, idNumber, theoryTicket,
    abilityTicket, token, rank, theoryPaper, theoryAnswers, theoryRight, abilityKey, abilityAnswer),
    bank ({item id: the custodian's view of the item version}), misconduct, relations.
    """
    tmp = pathlib.Path(tmp)
    exams = short_exams(tmp, minutes, 1)
    data = tmp / "data"
    run_assay("demo", "--no-serve", "--exams", str(exams), data=data, check=True, timeout=300)
    # The practical panel (odd, at least 3, a chief) and a second theory invigilator: distinct
    # people, so neither sitting's staff works the other at the same time.
    panel_names = ["考评员甲", "考评员乙", "考评员丙", "考评员丁", "考评员戊"]
    panel = [{"username": f"panel{n + 1}", "password": STAFF_PASSWORD, "name": name} for n, name in enumerate(panel_names)]
    invigilator = {"username": "invigilator1", "password": STAFF_PASSWORD, "name": "监考员甲"}
    for person in panel + [invigilator]:
        _add_examiner(data, person["username"], person["name"])
    theory_assembly = _assemble(data, "theory", exams, 2)
    # A practical task needs its full time: assembled against the real standards, served short.
    ability_assembly = _assemble(data, "ability", ROOT / "Exams", 1)

    server = Server(data, extra=("--exams", str(exams)))
    try:
        url = server.url
        custodian = login(url, CUSTODIAN["username"], CUSTODIAN["password"])
        status, body = api_status_call(url, "/api/v1/bank/unseal", custodian, {"shares": read_demo_shares(data)[:3]})
        assert status == 200 and not body["bank"]["sealed"], body
        admin = login(url, ADMIN["username"], ADMIN["password"])
        supervisor = dict(SUPERVISOR, token=login(url, SUPERVISOR["username"], SUPERVISOR["password"]))
        _, staff = api_status_call(url, "/api/v1/staff", admin)
        ids = {member["username"]: member["id"] for member in staff["staff"]}
        supervisor["id"] = ids["supervisor"]
        examiners = [dict(person, id=ids[person["username"]], chief=index == 0, room=ABILITY_ROOM, token=login(url, person["username"], person["password"]))
                     for index, person in enumerate(panel)]
        theory_staff = [dict(person, id=ids[person["username"]], chief=False, room=THEORY_ROOM, token=login(url, person["username"], person["password"]))
                        for person in (DEMO_EXAMINER, invigilator)]

        starts = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=start_in)
        theory_papers = [f"{theory_assembly}-F1", f"{theory_assembly}-F2"]
        ability_papers = [f"{ability_assembly}-F1"]
        theory, theory_placed, people, theory_tickets = _publish_sitting(
            url, admin, "theory", starts, THEORY_ROOM, candidates, [m["id"] for m in theory_staff], None, supervisor["id"], theory_papers)
        ability, ability_placed, _, ability_tickets = _publish_sitting(
            url, admin, "ability", starts, ABILITY_ROOM, candidates, [m["id"] for m in examiners], examiners[0]["id"], supervisor["id"], ability_papers)
        assert sorted(theory_placed) == sorted(ability_placed), "both sittings should hold the same candidates"
        for member in examiners:
            member["sitting"] = ability
        for member in theory_staff:
            member["sitting"] = theory

        by_id_number = {}
        for ticket in theory_tickets:
            by_id_number.setdefault(ticket["candidate"]["idNumber"], {})["theory"] = ticket
        for ticket in ability_tickets:
            by_id_number.setdefault(ticket["candidate"]["idNumber"], {})["ability"] = ticket
        account_of = {person["idNumber"]: account for account, person in people.items() if person.get("role") == "candidate" or person.get("idNumber")}
        people_list = []
        for rank, account in enumerate(theory_placed):
            id_number = people[account]["idNumber"]
            tickets = by_id_number[id_number]
            assert account_of[id_number] == account
            people_list.append({
                "id": account, "name": people[account]["name"], "idNumber": id_number, "rank": rank,
                "theoryTicket": tickets["theory"]["code"], "abilityTicket": tickets["ability"]["code"],
                "_theory": tickets["theory"], "_ability": tickets["ability"],
            })

        # The bank's keys for every theory item on the papers, read by the custodian; an item's
        # pattern follows its place in its form (not the candidate's shuffled order).
        bank, place = {}, {}
        status, body = api_status_call(url, f"/api/v1/papers/{theory_assembly}", admin)
        assert status == 200, body
        for paper in body["assembly"]["papers"]:
            for position, entry in enumerate(paper["items"]):
                status, item = api_status_call(url, f"/api/v1/items/{entry['itemID']}?version={entry['version']}&purpose=scoring-check", custodian)
                assert status == 200, item
                bank[entry["itemID"]] = dict(item, paper=paper["id"], version=entry["version"], points=entry["points"])
                place[entry["itemID"]] = position
        by_stem = {}
        for item_id, item in bank.items():
            by_stem.setdefault(item["content"]["stem"].strip(), []).append(item_id)

        decisions = []
        plans = {(d["candidate"], d.get("part", "theory")): d for d in misconduct}

        async def decide(person, part, sitting):
            plan = plans.get((person["rank"], part))
            if not plan:
                return False
            payload = {"candidate": person["id"], "tier": plan["tier"], "reason": plan.get("reason", f"违纪处理：{plan['tier']}")}
            for field in ("points", "banYears", "terminate"):
                if field in plan:
                    payload[field] = plan[field]
            status, body = await asyncio.to_thread(api_status_call, url, f"/api/v1/sittings/{sitting}/misconduct", admin, payload)
            assert status == 201, body
            decisions.append(dict(body["decision"], part=part, rank=person["rank"]))
            return body["decision"].get("terminated", False)

        async def sit_theory(person):
            token = await asyncio.to_thread(sit_login, url, person["_theory"])
            ticket = await asyncio.to_thread(ws_ticket, url, theory, token)
            async with websockets.connect(ws_url(url, ticket), max_size=2 ** 24) as socket:
                await receive(socket, "welcome")
                paper = await receive_paper(socket, timeout=start_in + 90)
                answers, right = {}, {}
                seq = 0
                items = {}
                for item in paper["items"]:
                    matches = by_stem.get(item["stem"].strip(), [])
                    assert len(matches) == 1, f"cannot find {item['key']} in the bank by its stem"
                    item_id = matches[0]
                    category = category_of(place[item_id], candidates)
                    meant = intended_right(category, person["rank"], candidates)
                    blank = category[0] == "none" and person["rank"] % 3 == 0
                    answer = theory_answer(item, bank[item_id], meant, blank)
                    answers[item["key"]] = answer
                    right[item["key"]] = meant and answer is not None
                    items[item["key"]] = item_id
                    if answer is None:
                        continue
                    seq += 1
                    await socket.send(json.dumps({"type": "save", "seq": seq, "item": item["key"], "answer": answer}))
                    assert (await receive(socket, "ack"))["seq"] == seq
                person.update(theoryPaper=paper["items"], theoryAnswers=answers, theoryRight=right, theoryItems=items,
                              theoryForm=bank[items["Q1"]]["paper"])
                if not await decide(person, "theory", theory):
                    await socket.send(json.dumps({"type": "handIn", "seq": seq + 1}))
                await receive(socket, "handedIn", timeout=30)

        async def sit_ability(person):
            token = await asyncio.to_thread(sit_login, url, person["_ability"])
            ticket = await asyncio.to_thread(ws_ticket, url, ability, token)
            async with websockets.connect(ws_url(url, ticket), max_size=2 ** 24) as socket:
                await receive(socket, "welcome")
                paper = await receive_paper(socket, timeout=start_in + 90)
                item = paper["items"][0]
                assert item["type"] == "practical_task"
                text = f"实操作答 R{person['rank']:02d}：已完成数据检查、模型训练与评估，结果文件见提交目录。"
                answer = {"text": text}
                if person["rank"] in upload_for:
                    content = f"训练日志 R{person['rank']:02d}\nepoch 1 loss 0.42\n".encode("utf-8")
                    status, body = await asyncio.to_thread(
                        upload, url, f"/api/v1/sit/{ability}/files?item={item['key']}&name=train.log", token, content, "text/plain; charset=utf-8")
                    assert status == 201, body
                    answer = {"text": text, "files": [body["file"]["id"]]}
                    person["abilityFile"] = dict(body["file"], content=content)
                await socket.send(json.dumps({"type": "save", "seq": 1, "item": item["key"], "answer": answer}))
                assert (await receive(socket, "ack"))["seq"] == 1
                person.update(abilityKey=item["key"], abilityAnswer=answer, abilityItem=item)
                if not await decide(person, "ability", ability):
                    await socket.send(json.dumps({"type": "handIn", "seq": 2}))
                await receive(socket, "handedIn", timeout=30)

        async def everyone():
            await asyncio.gather(*[sit_theory(p) for p in people_list], *[sit_ability(p) for p in people_list])

        asyncio.run(everyone())
        _wait_scored(url, admin, theory, candidates)
        _wait_scored(url, admin, ability, candidates)

        for person in people_list:
            person["token"] = sit_login(url, person["_theory"])
            person.pop("_theory")
            person.pop("_ability")

        declared = []
        for relation in relations:
            examiner = examiners[relation["examiner"]]
            person = people_list[relation["candidate"]]
            status, body = api_status_call(url, "/api/v1/relations", examiner["token"],
                                           {"candidateIDNumber": person["idNumber"], "kind": relation.get("kind", "relative")})
            assert status in (200, 201), body
            declared.append({"examiner": examiner["id"], "candidate": person["id"], "kind": relation.get("kind", "relative")})

        return {
            "url": url, "data": data, "exams": exams, "server": server, "admin": admin, "custodian": custodian,
            "supervisor": supervisor, "theory": theory, "ability": ability, "starts": starts,
            "papers": {"theory": theory_papers, "ability": ability_papers},
            "examiners": examiners, "theory_staff": theory_staff, "candidates": people_list, "bank": bank,
            "misconduct": decisions, "relations": declared,
        }
    except BaseException:
        server.stop()
        raise


# ---------------------------------------------------------------- who marks what


def pairs(batch, sitting=None):
    """The admin's progress view of a sitting as {code: {"candidate", "row", "first", "second", "third"}}
    with each marker as the fixture's examiner dict (None when absent)."""
    sitting = sitting or batch["ability"]
    staff = {member["id"]: member for member in batch["examiners"] + batch["theory_staff"]}
    view = progress(batch["url"], batch["admin"], sitting)
    result = {}
    for row in view["rows"]:
        roles = {marker["role"]: staff.get(marker["examiner"], {"id": marker["examiner"]}) for marker in row["markers"]}
        result[row["code"]] = {"candidate": row["candidate"], "row": row, "first": roles.get("first"), "second": roles.get("second"), "third": roles.get("third")}
    return result


def chief(batch):
    return next(member for member in batch["examiners"] if member["chief"])


def candidate_by_id(batch, account):
    return next(person for person in batch["candidates"] if person["id"] == account)


def mark_all(batch, totals, sitting=None):
    """Marks a sitting's submissions: `totals` maps a candidate's rank to (first total, second total)
    or (first, second, third); the third is entered by whoever has the code as third marker once
    the server asks for adjudication (none expected when not given). Submissions of ranks not in
    `totals` are left alone. Returns {rank: {"code", "first", "second", "third", "sheets": {role: marks},
    "markers": {role: examiner}}}."""
    url = batch["url"]
    sitting = sitting or batch["ability"]
    staff = batch["examiners"] + batch["theory_staff"]
    entered = {}
    for code, pair in pairs(batch, sitting).items():
        person = candidate_by_id(batch, pair["candidate"])
        if person["rank"] not in totals:
            continue
        wanted = totals[person["rank"]]
        record = {"code": code, "sheets": {}, "markers": {}}
        for role, total in zip(("first", "second"), wanted[:2]):
            marker = pair[role]
            status, body = submission(url, marker["token"], code)
            assert status == 200, body
            sheet = sheet_for_total(body, total)
            status, body = sign(url, marker["token"], code, sheet)
            assert status == 200 and body["total"] == total, body
            record[role], record["sheets"][role], record["markers"][role] = total, sheet, marker
        if len(wanted) > 2:
            third = next((m for m in staff if any(a["code"] == code and a["role"] == "third" for a in queue(url, m["token"]))), None)
            assert third is not None, f"nobody has {code} to adjudicate"
            status, body = submission(url, third["token"], code)
            assert status == 200, body
            sheet = sheet_for_total(body, wanted[2])
            status, body = sign(url, third["token"], code, sheet)
            assert status == 200 and body["total"] == wanted[2], body
            record["third"], record["sheets"]["third"], record["markers"]["third"] = wanted[2], sheet, third
        entered[person["rank"]] = record
    return entered


def theory_points(batch, person):
    """A candidate's theory score from what they answered right on purpose and the paper's points."""
    return sum(batch["bank"][person["theoryItems"][key]]["points"] for key, right in person["theoryRight"].items() if right)
