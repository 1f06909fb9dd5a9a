"""Statistics for quality supervisors (docs/MARKING.md), recomputed here in plain Python.

One batch for the module (tests/cli/marking_fixture.py): a theory sitting answered in a fixed
pattern (items everyone gets right, nobody gets right, only the weaker half gets right, and items
following the candidates' ability) and a practical sitting whose submissions the tests mark with
known totals. From the raw data — each candidate's item scores (GET /sittings/{id}/scores/{candidate}),
what the fixture answered and the marks entered here — the item statistics, KR-20 and the
markers' ICC(1,1) are computed independently and compared with GET /sittings/{id}/statistics.
"""

import csv
import io
import math

import pytest

from marking_fixture import call, download, mark_all, prepare_batch, xlsx_rows

TOLERANCE = 1e-6
# Ability marks per rank: (first, second[, third]). Rank 1: 15 apart; rank 9: provisional 59.5.
TOTALS = {0: (30, 34), 1: (45, 60, 50), 2: (55, 57), 3: (62, 66), 4: (70, 72), 5: (75, 80), 6: (80, 78),
          7: (85, 90), 8: (90, 88), 9: (58, 61, 60)}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    prepared = prepare_batch(tmp_path_factory.mktemp("statistics"))
    prepared["entered"] = mark_all(prepared, TOTALS)
    yield prepared
    prepared["server"].stop()


def statistics(batch, sitting, token=None):
    status, body = call(batch["url"], "GET", f"/api/v1/sittings/{sitting}/statistics", token or batch["admin"])
    assert status == 200, body
    return body


# ---------------------------------------------------------------- plain formulas


def mean(values):
    return sum(values) / len(values)


def pearson(xs, ys):
    """Pearson's r; None when either variable has no variance (undefined)."""
    mx, my = mean(xs), mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def kr20(matrix):
    """Kuder–Richardson 20 of rows of 0/1 item scores, population variance of the totals."""
    candidates, k = len(matrix), len(matrix[0]) if matrix else 0
    if k < 2 or candidates < 2:
        return None
    totals = [sum(row) for row in matrix]
    variance = sum((t - mean(totals)) ** 2 for t in totals) / candidates
    if variance == 0:
        return None
    pq = sum(p * (1 - p) for p in (sum(row[i] for row in matrix) / candidates for i in range(k)))
    return k / (k - 1) * (1 - pq / variance)


def icc_1_1(pairs):
    """ICC(1,1), one-way random effects, single rater, absolute agreement, two raters per target."""
    n, k = len(pairs), 2
    if n < 2:
        return None
    grand = mean([x for pair in pairs for x in pair])
    msb = k * sum((mean(pair) - grand) ** 2 for pair in pairs) / (n - 1)
    msw = sum((x - mean(pair)) ** 2 for pair in pairs for x in pair) / (n * (k - 1))
    if msb + msw == 0:
        return None
    return (msb - msw) / (msb + (k - 1) * msw)


def close(got, want):
    if want is None:
        return got is None
    return got is not None and abs(got - want) <= TOLERANCE


# ---------------------------------------------------------------- item statistics


def raw_scores(batch):
    """{paper: [(person, {item id: score item})]} from the scores API, grouped by the paper each candidate sat."""
    papers = {}
    for person in batch["candidates"]:
        status, body = call(batch["url"], "GET", f"/api/v1/sittings/{batch['theory']}/scores/{person['id']}", batch["admin"])
        assert status == 200, body
        papers.setdefault(person["theoryForm"], []).append((person, {item["item"]: item for item in body["items"]}))
    return papers


def canonical_choices(person, key, bank_item):
    """The canonical letters a candidate chose for an item (through their own option letters)."""
    answer = person["theoryAnswers"][key]
    if answer is None:
        return None
    shown = next(item for item in person["theoryPaper"] if item["key"] == key)
    canonical_of = {text: letter for letter, text in bank_item["content"]["options"].items()}
    by_letter = {option["letter"]: canonical_of[option["text"]] for option in shown["options"]}
    letters = [answer["choice"]] if "choice" in answer else answer["choices"]
    return sorted(by_letter[letter] for letter in letters)


def test_item_statistics_and_kr20_match_a_recomputation(batch):
    body = statistics(batch, batch["theory"])
    assert body["sitting"] == batch["theory"] and body["part"] == "theory"
    raw = raw_scores(batch)
    served = {paper["paper"]: paper for paper in body["papers"]}
    assert set(served) == set(raw), (set(served), set(raw))
    flagged = {"p_low": 0, "p_high": 0, "negative_discrimination": 0}
    for paper_id, sat in raw.items():
        paper = served[paper_id]
        assert paper["candidates"] == len(sat)
        item_ids = list(sat[0][1])
        assert all(set(scores) == set(item_ids) for _, scores in sat)
        totals = [sum(scores[i]["awarded"] for i in item_ids) for _, scores in sat]
        dichotomous = [[1 if scores[i]["awarded"] == scores[i]["points"] else 0 for i in item_ids] for _, scores in sat]
        assert close(paper.get("kr20"), kr20(dichotomous)), (paper_id, paper.get("kr20"), kr20(dichotomous))
        assert paper.get("kr20") is not None
        listed = {item["item"]: item for item in paper["items"]}
        assert set(listed) == set(item_ids)
        for index, item_id in enumerate(item_ids):
            got = listed[item_id]
            shares = [scores[item_id]["awarded"] / scores[item_id]["points"] for _, scores in sat]
            p = mean(shares)
            point_biserial = pearson(shares, totals)
            discrimination = pearson(shares, [t - scores[item_id]["awarded"] for t, (_, scores) in zip(totals, sat)])
            bank = batch["bank"][item_id]
            assert got["version"] == bank["version"] and got["points"] == bank["points"] and got["type"] == sat[0][1][item_id]["type"]
            assert close(got["p"], p), (item_id, got["p"], p)
            assert close(got.get("pointBiserial"), point_biserial), (item_id, got.get("pointBiserial"), point_biserial)
            assert close(got.get("discrimination"), discrimination), (item_id, got.get("discrimination"), discrimination)
            answered = sum(1 for person, _ in sat if person["theoryAnswers"][next(k for k, v in person["theoryItems"].items() if v == item_id)] is not None)
            assert got["responses"] in (answered, len(sat)), (item_id, got["responses"], answered)
            flags = set()
            if p < 0.2:
                flags.add("p_low")
            if p > 0.95:
                flags.add("p_high")
            if discrimination is not None and discrimination < 0:
                flags.add("negative_discrimination")
            assert set(got["flags"]) == flags, (item_id, got["flags"], p, discrimination)
            for flag in flags:
                flagged[flag] += 1
            if got["type"] in ("single_choice", "multiple_choice"):
                counts = {}
                for person, _ in sat:
                    key = next(k for k, v in person["theoryItems"].items() if v == item_id)
                    chosen = canonical_choices(person, key, bank)
                    for letter in chosen or ["-"]:
                        counts[letter] = counts.get(letter, 0) + 1
                assert {k: v for k, v in got["distractors"].items() if v} == counts, (item_id, got["distractors"], counts)
                content = bank["content"]
                assert got["answerKey"] == ([content["answer"]] if got["type"] == "single_choice" else sorted(content["answers"]))
    # The pattern makes every flag fire somewhere.
    assert all(flagged.values()), flagged


# ---------------------------------------------------------------- marking statistics


def test_marking_statistics_match_the_marks_entered(batch):
    body = statistics(batch, batch["ability"])
    assert body["sitting"] == batch["ability"] and body["part"] == "ability"
    entered = batch["entered"]
    marking = body["marking"]
    adjudicated = sum(1 for e in entered.values() if "third" in e)
    assert marking["submissions"] == len(batch["candidates"]) == len(entered)
    assert marking["doubleMarked"] == len(entered)
    assert marking["adjudicated"] == adjudicated == 2
    assert close(marking["adjudicationRate"], adjudicated / len(entered))

    status, score = call(batch["url"], "GET", f"/api/v1/sittings/{batch['ability']}/scores/{batch['candidates'][0]['id']}", batch["admin"])
    (task_item,) = score["items"]
    (task,) = marking["tasks"]
    pairs = [(e["first"], e["second"]) for e in entered.values()]
    assert (task["item"], task["version"], task["points"], task["pairs"]) == (task_item["item"], task_item["version"], 100, len(pairs))
    assert close(task.get("icc"), icc_1_1(pairs)), (task.get("icc"), icc_1_1(pairs))
    assert close(task["meanDifference"], mean([a - b for a, b in pairs]))

    differences = {}
    names = {}
    for e in entered.values():
        for role, other in (("first", "second"), ("second", "first")):
            marker = e["markers"][role]
            differences.setdefault(marker["id"], []).append(e[role] - e[other])
            names[marker["id"]] = marker["name"]
    listed = {row["examiner"]: row for row in marking["examiners"]}
    assert set(differences) <= set(listed)
    for examiner, values in differences.items():
        row = listed[examiner]
        assert row["name"] == names[examiner] and row["marks"] == len(values), row
        assert close(row.get("severity"), mean(values)), (row, mean(values))
    # A stricter marker has a negative severity: the signs follow the data.
    assert any(mean(v) < 0 for v in differences.values()) and any(mean(v) > 0 for v in differences.values())


def test_a_theory_sitting_of_objective_items_has_nothing_double_marked(batch):
    marking = statistics(batch, batch["theory"])["marking"]
    assert marking["submissions"] == 0 and marking["doubleMarked"] == 0 and marking["adjudicated"] == 0 and marking["tasks"] == []


def test_statistics_are_for_supervisors_and_exam_administrators_only(batch):
    statistics(batch, batch["theory"], batch["supervisor"]["token"])
    for token in (batch["examiners"][0]["token"], batch["candidates"][0]["token"], batch["theory_staff"][0]["token"]):
        status, _ = call(batch["url"], "GET", f"/api/v1/sittings/{batch['theory']}/statistics", token)
        assert status == 403


# ---------------------------------------------------------------- exports


def numbers(row):
    found = []
    for cell in row:
        try:
            found.append(float(cell))
        except ValueError:
            pass
    return found


def grids(batch, sitting, table):
    path = f"/api/v1/sittings/{sitting}/statistics/export?table={table}&format="
    status, headers, data = download(batch["url"], path + "csv", batch["admin"])
    assert status == 200 and headers["Content-Type"].startswith("text/csv"), (status, data[:300])
    csv_rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    status, headers, workbook = download(batch["url"], path + "xlsx", batch["supervisor"]["token"])
    assert status == 200 and workbook[:2] == b"PK", (status, workbook[:300])
    xlsx = [row for row in xlsx_rows(workbook) if any(cell != "" for cell in row)]
    return csv_rows, xlsx


def test_the_statistics_exports_parse_and_agree(batch):
    theory = statistics(batch, batch["theory"])
    items = [item for paper in theory["papers"] for item in paper["items"]]
    for grid in grids(batch, batch["theory"], "items"):
        body = grid[1:]
        assert len(body) == len(items), (len(body), len(items), grid[:2])
        for item in items:
            rows = [row for row in body if item["item"] in row]
            assert len(rows) >= 1, item["item"]
            # Rounded for people (at most to 0.01): the row carries the item's p.
            assert any(any(abs(n - item["p"]) <= 0.0051 for n in numbers(row)) for row in rows), (item, rows)
    ability = statistics(batch, batch["ability"])
    (task,) = ability["marking"]["tasks"]
    for grid in grids(batch, batch["ability"], "marking"):
        text = [row for row in grid if task["item"] in row]
        assert text, grid
        assert any(abs(n - task.get("icc")) <= 0.0051 for n in numbers(text[0])), (task, text[0])
    status, _, body = download(batch["url"], f"/api/v1/sittings/{batch['theory']}/statistics/export?table=items&format=pdf", batch["admin"])
    assert status == 400
