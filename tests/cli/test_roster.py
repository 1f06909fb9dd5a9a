"""`assay roster import`: candidates and applications from a roster, all or nothing."""
import csv
import json
import os
import random

from conftest import run_assay
from xlsx_writer import write_xlsx

HEADER = ["姓名", "证件类型", "证件号码", "职业编码", "等级", "方向", "学历", "相关专业", "证书等级", "证书取得时间", "从事本职业年限", "培训学时", "工作单位"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(birth="19920315", sequence=None):
    seventeen = "440304" + birth + (sequence or f"{random.randint(100, 999)}")
    return seventeen + "10X98765432"[sum(int(d) * w for d, w in zip(seventeen, WEIGHTS)) % 11]


def good_rows():
    first, second, third = resident_id(sequence="101"), resident_id(sequence="102"), resident_id(sequence="203")
    return [
        HEADER,
        ["李娜", "居民身份证", first, "2-02-10-09", "中级", "计算机视觉产品实现", "本科", "是", "初级", "2020-05-01", "6", "130", "示范科技有限公司"],
        ["王强", "身份证", second, "2-02-10-09", "中级", "人工智能平台产品实现", "大专", "否", "初级", "2025-01-01", "2", "130", ""],
        ["陈静", "居民身份证", third, "2-02-10-09", "初级", "计算机视觉产品实现", "本科", "是", "", "", "0", "128", ""],
    ]


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_a_roster_registers_every_candidate_with_an_explained_application(data_dir, tmp_path):
    roster = tmp_path / "roster.csv"
    rows = good_rows()
    write_csv(roster, rows)
    credentials = tmp_path / "credentials.csv"
    result = run_assay("roster", "import", str(roster), "--credentials", str(credentials), data=data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Imported 3 candidate(s)" in result.stdout and "(2 eligible by the rules, 1 not)" in result.stdout
    assert oct(os.stat(credentials).st_mode & 0o777) == "0o600"
    issued = list(csv.DictReader(open(credentials, encoding="utf-8")))
    assert [row["username"] for row in issued] == ["c" + rows[1][2].lower(), "c" + rows[2][2].lower(), "c" + rows[3][2].lower()]
    assert [row["eligible"] for row in issued] == ["yes", "no", "yes"]
    assert issued[0]["clause"] == "中级-2"
    # The accounts work: log in with an issued password through the list of users.
    listed = json.loads(run_assay("users", "list", "--json", data=data_dir, check=True).stdout)
    assert sum(1 for user in listed if user["roles"] == "candidate") == 3
    tail = run_assay("audit", "tail", data=data_dir, check=True).stdout
    assert "roster.imported" in tail and rows[1][2] not in tail, "the audit names the roster, not ID numbers"

    again = run_assay("roster", "import", str(roster), data=data_dir)
    assert again.returncode == 1
    assert "roster.csv:2: 用户名" in again.stderr and "is already registered" in again.stderr


def test_one_bad_row_imports_nothing_and_every_problem_is_listed(data_dir, tmp_path):
    rows = good_rows()
    rows[2][2] = rows[2][2][:-1] + ("0" if rows[2][2][-1] != "0" else "1")   # wrong check character
    rows[3][5] = "量子计算"                                                    # no such direction
    rows.append(list(rows[1]))                                                # the same person twice
    roster = tmp_path / "roster.csv"
    write_csv(roster, rows)
    before = json.loads(run_assay("users", "list", "--json", data=data_dir, check=True).stdout)
    result = run_assay("roster", "import", str(roster), data=data_dir)
    assert result.returncode == 1
    assert "roster.csv:3: 身份证号码校验码应为" in result.stderr
    assert "roster.csv:4: direction" in result.stderr
    assert "roster.csv:5: 证件号码 also on line 2" in result.stderr
    assert "nothing imported: 3 problem(s)" in result.stderr
    assert json.loads(run_assay("users", "list", "--json", data=data_dir, check=True).stdout) == before


def test_an_xlsx_roster_imports_the_same_and_a_truncated_one_is_refused(data_dir, tmp_path):
    workbook = tmp_path / "roster.xlsx"
    write_xlsx(workbook, good_rows())
    result = run_assay("roster", "import", str(workbook), data=data_dir)
    assert result.returncode == 0, result.stderr
    assert "Imported 3 candidate(s)" in result.stdout
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(workbook.read_bytes()[:200])
    refused = run_assay("roster", "import", str(broken), data=data_dir)
    assert refused.returncode == 1 and "XLSX" in refused.stderr


def test_a_roster_with_a_missing_column_says_which(data_dir, tmp_path):
    roster = tmp_path / "roster.csv"
    write_csv(roster, [["姓名", "证件号码", "职业编码", "等级", "星座"], ["李娜", resident_id(), "2-02-10-09", "中级", "狮子"]])
    result = run_assay("roster", "import", str(roster), data=data_dir)
    assert result.returncode == 1
    assert "lacks the column(s) 证件类型" in result.stderr and "unknown column(s) 星座" in result.stderr
