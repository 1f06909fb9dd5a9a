"""The demo's finished batch (`assay demo --finished-batch`, on by default when the demo serves):
a theory and a practical sitting held two days ago, handed in and scored, most practical
submissions marked by the panel, the demo examiner's own sheets left for them, one candidate
absent from the practical. Checked the way the demo's users would meet it, over the API."""

import pytest

from conftest import Server, api_status_call, run_assay

ADMIN = ("examadmin", "amber-field-3390")
EXAMINER = ("examiner", "north-bridge-2649")
SUPERVISOR = ("supervisor", "clear-lake-9132")


def login(url, credentials):
    status, body = api_status_call(url, "/api/v1/auth/login", body={"username": credentials[0], "password": credentials[1]})
    assert status == 200, body
    return body["token"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("demo-batch") / "data"
    first = run_assay("demo", "--no-serve", "--finished-batch", data=data, check=True, timeout=300)
    assert "Finished batch B-" in first.stdout
    # Seeding again changes nothing: the same batch is reported, no second one is made.
    again = run_assay("demo", "--no-serve", "--finished-batch", data=data, check=True, timeout=300)
    batch_line = next(line for line in first.stdout.splitlines() if line.startswith("Finished batch"))
    assert batch_line in again.stdout
    server = Server(data)
    yield {"url": server.url, "data": data}
    server.stop()


def test_the_finished_batch_waits_for_the_demo_examiner(demo):
    url = demo["url"]
    admin = login(url, ADMIN)
    status, body = api_status_call(url, "/api/v1/batches", admin)
    assert status == 200 and len(body["batches"]) == 1, body
    batch = body["batches"][0]
    assert batch["status"] == "open"

    # Everyone handed in both parts but one candidate absent from the practical, whose empty
    # paper is not marked; the theory part has nothing for examiners.
    status, theory = api_status_call(url, f"/api/v1/sittings/{batch['theory']}/scores", admin)
    assert status == 200 and theory["scored"] == theory["handedIn"] > 20
    status, progress = api_status_call(url, f"/api/v1/sittings/{batch['ability']}/marking", admin)
    assert status == 200
    assert progress["submissions"] == theory["scored"] - 1
    assert progress["final"] + progress["marking"] + progress["adjudication"] == progress["submissions"]
    assert progress["unassigned"] == 0 and progress["marking"] > 0

    # The demo examiner has exactly the unsigned sheets the progress view shows as theirs.
    examiner = login(url, EXAMINER)
    status, queue = api_status_call(url, "/api/v1/marking/queue", examiner)
    assert status == 200
    waiting = {a["code"] for a in queue["assignments"] if a["status"] == "todo"}
    status, me = api_status_call(url, "/api/v1/me", examiner)
    mine = {row["code"] for row in progress["rows"] for m in row["markers"] if m["examiner"] == me["user"]["id"] and not m["signed"]}
    assert waiting and waiting == mine

    # Results are not ready while those sheets are unsigned; the absent candidate shows as absent.
    status, results = api_status_call(url, f"/api/v1/batches/{batch['id']}/results", admin)
    assert status == 200 and not results["ready"]
    assert any("未完成评阅" in blocker for blocker in results["blockers"])
    statuses = [row["ability"]["status"] for row in results["results"]]
    assert statuses.count("absent") == 1
    deducted = [row for row in results["results"] if row["ability"]["deduction"] > 0]
    assert len(deducted) == 1 and deducted[0]["ability"]["misconduct"][0]["tier"] == "deduction"

    # The supervisor's statistics have both theory forms and the panel's agreement.
    supervisor = login(url, SUPERVISOR)
    status, stats = api_status_call(url, f"/api/v1/sittings/{batch['theory']}/statistics", supervisor)
    assert status == 200 and len(stats["papers"]) == 2
    assert all(paper["kr20"] is not None and 0 < paper["kr20"] < 1 for paper in stats["papers"])
    status, stats = api_status_call(url, f"/api/v1/sittings/{batch['ability']}/statistics", supervisor)
    both = sum(1 for row in progress["rows"] if {m["role"] for m in row["markers"] if m["signed"]} >= {"first", "second"})
    assert status == 200 and stats["marking"]["doubleMarked"] == both > 0
    assert stats["marking"]["tasks"] and stats["marking"]["tasks"][0]["icc"] is not None
