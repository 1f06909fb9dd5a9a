"""`assay paper assemble` on the demo bank: parallel forms, the report, diagnoses, determinism."""
import json
import re

import pytest

from conftest import ROOT, run_assay

DIRECTIONS = ["人工智能芯片产品实现", "人工智能平台产品实现", "自然语言及语音处理产品实现", "计算机视觉产品实现", "人工智能应用产品集成实现"]


def assemble(demo, *args):
    # A smaller move budget than the default keeps the debug build quick; feasibility is found early.
    return run_assay("paper", "assemble", "--exam", "2-02-10-09", "--moves", "30000", *args, data=demo["data"])


@pytest.mark.parametrize("level", ["初级", "中级", "高级"])
def test_two_disjoint_theory_forms_per_level_from_the_demo_bank(demo, level):
    result = assemble(demo, "--level", level, "--direction", "计算机视觉产品实现", "--part", "theory",
                      "--forms", "2", "--seed", "7", "--json")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    output = json.loads(result.stdout)
    report, forms = output["report"], output["forms"]
    assert report["feasible"] and not report["unmet"] and not report["proven"]
    assert len(forms) == 2
    first, second = ({item["id"] for item in form["items"]} for form in forms)
    assert not first & second, "parallel forms share no item"
    for form in forms:
        assert abs(form["totalPoints"] - 100) < 1e-9
    for form_report in report["forms"]:
        rows = form_report["rows"]
        assert all(row["met"] for row in rows)
        assert {row["kind"] for row in rows} >= {"weight", "band", "difficulty"}
    assert report["across"]["mostShared"] == 0


def test_the_text_report_reads_line_by_line(demo):
    result = assemble(demo, "--level", "中级", "--direction", "人工智能平台产品实现", "--part", "theory", "--forms", "2", "--seed", "3")
    assert result.returncode == 0, result.stdout + result.stderr
    text = result.stdout
    assert "Feasible" in text and "Form 1:" in text and "Form 2:" in text
    assert "设计开发" in text, "weight rows carry the 职业功能's name from the standard"
    assert "most items shared by two forms: 0 (allowed 0)" in text


def test_the_same_seed_gives_identical_forms_and_another_seed_differs(demo):
    args = ["--level", "高级", "--direction", "人工智能芯片产品实现", "--part", "theory", "--forms", "2", "--json"]
    one = json.loads(assemble(demo, *args, "--seed", "11").stdout)["forms"]
    again = json.loads(assemble(demo, *args, "--seed", "11").stdout)["forms"]
    other = json.loads(assemble(demo, *args, "--seed", "12").stdout)["forms"]
    assert json.dumps(one, sort_keys=True) == json.dumps(again, sort_keys=True)
    assert json.dumps(one, sort_keys=True) != json.dumps(other, sort_keys=True)


def test_more_forms_than_the_bank_allows_are_diagnosed(demo):
    result = assemble(demo, "--level", "初级", "--direction", "计算机视觉产品实现", "--part", "theory", "--forms", "6", "--seed", "1")
    assert result.returncode == 2
    assert "INFEASIBLE" in result.stdout
    assert "for 6 disjoint forms" in result.stdout
    assert "the bank has" in result.stdout or "give at most" in result.stdout


def test_practical_forms_take_one_task_each(demo):
    result = assemble(demo, "--level", "中级", "--direction", "人工智能平台产品实现", "--part", "practical", "--forms", "2", "--seed", "1", "--json")
    assert result.returncode == 0, result.stdout[-2000:]
    forms = json.loads(result.stdout)["forms"]
    assert [len(form["items"]) for form in forms] == [1, 1]
    assert all(form["items"][0]["type"] == "practical_task" and form["totalPoints"] == 100 for form in forms)
    assert forms[0]["items"][0]["id"] != forms[1]["items"][0]["id"]


@pytest.mark.parametrize("args,message", [
    (["--level", "中级", "--part", "theory"], "give --direction"),
    (["--level", "中级", "--direction", "量子计算", "--part", "theory"], "量子计算 is no direction"),
    (["--level", "特级", "--direction", "计算机视觉产品实现", "--part", "theory"], "level must be"),
    (["--level", "中级", "--direction", "计算机视觉产品实现", "--part", "oral"], "part must be theory or practical"),
    (["--level", "中级", "--direction", "计算机视觉产品实现", "--part", "theory", "--forms", "0"], "1 to 100 forms"),
])
def test_bad_requests_get_a_clear_error(demo, args, message):
    result = assemble(demo, *args)
    assert result.returncode == 1
    assert message in result.stderr


def test_a_blueprint_that_contradicts_its_standard_is_refused(demo, tmp_path):
    folder = tmp_path / "blueprints"
    folder.mkdir()
    (folder / "2-02-10-09.yaml").write_text(
        'schema: 1\noccupation: "2-02-10-09"\nblueprints:\n  - level: 中级\n    part: theory\n'
        '    sections: [{type: single_choice, count: 40, points: 2}]\n    weight_tolerance: 5\n'
        '    coverage: [{point: "9.9.9", min: 1}]\n', encoding="utf-8")
    result = assemble(demo, "--level", "中级", "--direction", "计算机视觉产品实现", "--part", "theory",
                      "--blueprints", str(folder))
    assert result.returncode == 1
    assert "the sections give 80 points; the theory part has 100" in result.stderr
    assert "9.9.9 is no 鉴定点" in result.stderr


def test_saved_papers_are_listed_sealed_and_discarded_and_never_hold_content_in_clear(tmp_path):
    data = tmp_path / "data"
    run_assay("demo", "--no-serve", data=data, check=True)
    shares = sorted((data / "INSECURE-DEMO-SHARES").glob("share-*.txt"))
    args = ["paper", "assemble", "--exam", "2-02-10-09", "--level", "中级", "--direction", "人工智能平台产品实现",
            "--part", "practical", "--forms", "2", "--seed", "4", "--moves", "5000"]
    saved = run_assay(*args, "--save", data=data)
    assert saved.returncode == 0, saved.stdout + saved.stderr
    assembly = re.search(r"Saved as (ASM-\d{8}-[0-9A-F]{6})", saved.stdout).group(1)
    listed = run_assay("paper", "list", data=data, check=True).stdout
    assert assembly in listed and "assembled" in listed
    shown = json.loads(run_assay("paper", "show", assembly, "--json", data=data, check=True).stdout)
    assert [paper["id"] for paper in shown["papers"]] == [f"{assembly}-F1", f"{assembly}-F2"]
    assert all(not paper["sealed"] for paper in shown["papers"])

    too_few = run_assay("paper", "seal", assembly, "--share-file", str(shares[0]), data=data)
    assert too_few.returncode == 1 and "needs 3" in too_few.stderr
    sealed = run_assay("paper", "seal", assembly, *sum((["--share-file", str(s)] for s in shares[:3]), []), data=data)
    assert sealed.returncode == 0, sealed.stderr
    shown = json.loads(run_assay("paper", "show", assembly, "--json", data=data, check=True).stdout)
    assert shown["status"] == "sealed" and all(paper["sealed"] for paper in shown["papers"])
    # The tasks' statements are in the sealed packages, and in clear in no file of the data directory.
    assert {item["itemID"] for paper in shown["papers"] for item in paper["items"]} == {"AI-P-0006", "AI-P-0007"}
    for statement in ["用户 30 天复购预测", "在线客服机器人中接入意图识别"]:
        for path in data.rglob("*"):
            if path.is_file():
                assert statement.encode() not in path.read_bytes(), path

    replaced = run_assay(*args, "--seed", "5", "--save", "--replace", assembly, data=data)
    assert replaced.returncode == 0, replaced.stdout + replaced.stderr
    assert "discarded" in run_assay("paper", "list", data=data, check=True).stdout
    assert run_assay("paper", "discard", assembly, data=data).returncode == 1, "discarded once is enough"
    tail = run_assay("audit", "tail", "--count", "50", data=data, check=True).stdout
    for action in ["paper.assembled", "paper.sealed"]:
        assert action in tail
    assert run_assay("audit", "verify", data=data).returncode == 0


def test_a_blueprint_made_infeasible_on_purpose_names_the_point(demo, tmp_path):
    folder = tmp_path / "blueprints"
    folder.mkdir()
    shipped = (ROOT / "Exams/blueprints/2-02-10-09.yaml").read_text(encoding="utf-8")
    # Ask every 中级 form for six items on one 鉴定点: more than the bank holds for two disjoint forms.
    strict = shipped.replace("    exposure_cap: 4\n\n  - level: 高级", '    exposure_cap: 4\n    coverage: [{point: "3.2.2", min: 6}]\n\n  - level: 高级', 1)
    assert strict != shipped
    (folder / "2-02-10-09.yaml").write_text(strict, encoding="utf-8")
    result = assemble(demo, "--level", "中级", "--direction", "计算机视觉产品实现", "--part", "theory", "--forms", "2",
                      "--blueprints", str(folder))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "INFEASIBLE" in result.stdout
    assert "鉴定点 3.2.2 needs 6 items per form for 2 disjoint forms = 12 at 中级" in result.stdout
