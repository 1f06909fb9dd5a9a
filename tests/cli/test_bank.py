"""The item bank from the operator's command line: key ceremony, all-or-nothing imports, no plaintext at rest."""

import contextlib
import pathlib
import re
import sqlite3

from conftest import ROOT, Server, api_call, run_assay

GOOD = """schema: 1
occupation: "2-02-10-09"
items:
  - id: CANARY-1
    type: single_choice
    levels: [中级]
    directions: all
    point: "2.2.1"
    difficulty: 0.6
    points: 1
    stem: "金丝雀题干 {canary}：以下哪项可以缓解过拟合？（　）"
    options: {{A: 增加参数, B: "数据增强 {canary}", C: 减少数据, D: 提高学习率}}
    answer: B
    explanation: "解析 {canary}"
  - id: CANARY-2
    type: true_false
    levels: [初级]
    directions: all
    point: "1.1.1"
    difficulty: 0.8
    points: 1
    stem: "判断 {canary}：需求分析先于模型开发。"
    answer: true
"""


@contextlib.contextmanager
def unsealed_server(data_dir, share_files):
    """Adds a custodian, serves the data directory and unseals it with the given shares.
    Yields (call, status) where call(path, body=None) is an API call as the custodian."""
    run_assay("users", "add", "keeper", "--name", "K", "--role", "bank_custodian", "--password-stdin",
              data=data_dir, stdin="vault-long-passphrase\n", check=True)
    server = Server(data_dir)
    try:
        token = api_call(server.url, "/api/v1/auth/login", body={"username": "keeper", "password": "vault-long-passphrase"})["token"]
        status = api_call(server.url, "/api/v1/bank/unseal", token, {"shares": [f.read_text().strip() for f in share_files]})
        yield (lambda path, body=None: api_call(server.url, path, token, body)), status
    finally:
        assert server.stop() == 0


def test_bank_init_prints_each_share_once_and_refuses_twice(data_dir):
    result = run_assay("bank", "init", "--custodians", "5", "--threshold", "3", data=data_dir)
    assert result.returncode == 0, result.stderr
    shares = re.findall(r"assay-share-1:[0-9a-f]{8}:3of5:\d:[0-9a-f]{64}:[0-9a-f]{4}", result.stdout)
    assert len(shares) == 5 and len(set(shares)) == 5
    stored = (data_dir / "assay.sqlite").read_bytes()
    for share in shares:
        assert share.split(":")[4].encode() not in stored
    again = run_assay("bank", "init", data=data_dir)
    assert again.returncode == 1 and "already has its keys" in again.stderr
    bad = run_assay("bank", "init", "--custodians", "3", "--threshold", "4", data=data_dir)
    assert bad.returncode == 1


def test_one_bad_item_imports_nothing_and_names_file_line_and_item(data_dir, tmp_path):
    run_assay("bank", "init", data=data_dir, check=True)
    good = tmp_path / "good.yaml"
    good.write_text(GOOD.format(canary="x"), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.format(canary="y").replace("CANARY-", "OTHER-").replace("answer: B", "answer: Q"), encoding="utf-8")
    result = run_assay("bank", "import", str(good), str(bad), data=data_dir)
    assert result.returncode == 1
    assert re.search(r"bad\.yaml:\d+: item OTHER-1: the answer Q is not one of the options", result.stderr), result.stderr
    assert "nothing imported" in result.stderr
    assert "0 item(s)" in run_assay("bank", "list", data=data_dir, check=True).stdout
    ok = run_assay("bank", "import", str(good), data=data_dir)
    assert ok.returncode == 0, ok.stderr
    assert "Imported 2 items" in ok.stdout
    again = run_assay("bank", "import", str(good), data=data_dir)
    assert again.returncode == 1 and "already exist" in again.stderr
    listed = run_assay("bank", "list", data=data_dir, check=True).stdout
    assert "CANARY-1" in listed and "2 item(s)" in listed
    assert "bank.imported" in run_assay("audit", "tail", data=data_dir, check=True).stdout


def test_no_item_plaintext_anywhere_in_the_data_directory(data_dir, tmp_path):
    canary = "CANARY-8d1f0c7e2b"
    run_assay("bank", "init", "--shares-dir", str(tmp_path / "shares"), data=data_dir, check=True)
    items = tmp_path / "items.yaml"
    items.write_text(GOOD.format(canary=canary), encoding="utf-8")
    run_assay("bank", "import", str(items), data=data_dir, check=True)
    run_assay("bank", "list", "--json", data=data_dir, check=True)
    run_assay("bank", "stats", data=data_dir, check=True)
    # Unseal, read and seal on a running server, a refused export, then a restart.
    with unsealed_server(data_dir, sorted((tmp_path / "shares").glob("share-*.txt"))[:3]) as (call, status):
        assert status["bank"]["sealed"] is False
        assert canary in call("/api/v1/items/CANARY-1?purpose=canary")["content"]["stem"]
        assert call("/api/v1/bank/seal", {})["bank"]["sealed"] is True
    refused = run_assay("bank", "export", "--share-file", str(sorted((tmp_path / "shares").glob("share-*.txt"))[0]),
                        "--out", str(tmp_path / "out"), "--status", "active", data=data_dir)
    assert refused.returncode == 1
    restarted = Server(data_dir)
    assert restarted.stop() == 0
    for log in pathlib.Path(data_dir).parent.glob("server-*.log"):
        assert canary not in log.read_text()
    hits = []
    for path in pathlib.Path(data_dir).rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            for needle in [canary.encode(), "金丝雀".encode(), "数据增强".encode()]:
                if needle in raw:
                    hits.append((path.name, needle))
    assert hits == [], hits


def test_shipped_items_check_clean():
    result = run_assay("bank", "check", str(ROOT / "itembank"))
    assert result.returncode == 0, result.stderr
    assert int(re.search(r"ok: (\d+) items", result.stdout).group(1)) >= 95


def test_qti_items_import_as_drafts_and_unsupported_ones_import_nothing(data_dir):
    run_assay("bank", "init", data=data_dir, check=True)
    folder = ROOT / "Tests" / "ItemBankTests" / "Fixtures" / "qti"
    classify = ["--occupation", "2-02-10-09", "--level", "中级", "--point", "2.2.1"]
    unclassified = run_assay("bank", "import", str(folder / "choice-v2p1.xml"), data=data_dir)
    assert unclassified.returncode == 1 and "need --occupation" in unclassified.stderr
    mixed = run_assay("bank", "import", *classify, str(folder / "choice-v2p1.xml"), str(folder / "order-unsupported-v2p1.xml"), data=data_dir)
    assert mixed.returncode == 1
    assert "unsupported interaction orderInteraction" in mixed.stderr and "nothing imported" in mixed.stderr
    good = [str(folder / name) for name in ["choice-v2p1.xml", "choice-multiple-v2p2.xml", "choice-v3p0.xml",
                                             "text-entry-v2p1.xml", "extended-text-v3p0.xml"]]
    result = run_assay("bank", "import", *classify, *good, data=data_dir)
    assert result.returncode == 0, result.stderr
    listed = run_assay("bank", "list", "--status", "draft", data=data_dir, check=True).stdout
    assert "5 item(s)" in listed and "QTI-ESSAY-1" in listed


def test_key_rotation_rewraps_every_item_and_the_same_shares_still_unseal(data_dir, tmp_path):
    shares_dir = tmp_path / "shares"
    run_assay("bank", "init", "--shares-dir", str(shares_dir), data=data_dir, check=True)
    items = tmp_path / "items.yaml"
    items.write_text(GOOD.format(canary="rot"), encoding="utf-8")
    run_assay("bank", "import", str(items), data=data_dir, check=True)
    shares = sorted(shares_dir.glob("share-*.txt"))
    too_few = run_assay("bank", "rotate", "--share-file", str(shares[0]), "--share-file", str(shares[1]), data=data_dir)
    assert too_few.returncode == 1 and "needs 3 of the 5" in too_few.stderr
    before = {row[0]: row for row in sqlite3.connect(data_dir / "assay.sqlite").execute(
        "SELECT item_id, ciphertext, wrapped_key FROM item_version")}
    rotated = run_assay("bank", "rotate", *sum([["--share-file", str(s)] for s in shares[2:]], []), data=data_dir)
    assert rotated.returncode == 0, rotated.stderr
    assert "version 2; re-wrapped 2 item version(s)" in rotated.stdout
    after = {row[0]: row for row in sqlite3.connect(data_dir / "assay.sqlite").execute(
        "SELECT item_id, ciphertext, wrapped_key FROM item_version")}
    for item_id in before:
        assert after[item_id][1] == before[item_id][1], "item ciphertext must not change"
        assert after[item_id][2] != before[item_id][2], "data key must be re-wrapped"
    with unsealed_server(data_dir, shares[:3]) as (call, status):
        assert status["bank"]["sealed"] is False and status["bank"]["keyVersion"] == 2
        assert "rot" in call("/api/v1/items/CANARY-1")["content"]["stem"]
    assert "bank.key_rotated" in run_assay("audit", "tail", data=data_dir, check=True).stdout


def test_exports_follow_the_policy_carry_their_id_and_round_trip(data_dir, tmp_path):
    shares_dir = tmp_path / "shares"
    run_assay("bank", "init", "--shares-dir", str(shares_dir), data=data_dir, check=True)
    run_assay("bank", "import", str(ROOT / "itembank" / "templates" / "item-template.csv"), data=data_dir, check=True)
    share_args = sum([["--share-file", str(p)] for p in sorted(shares_dir.glob("share-*.txt"))[:3]], [])
    refused = run_assay("bank", "export", *share_args, "--out", str(tmp_path / "x"), "--status", "active", data=data_dir)
    assert refused.returncode == 1 and "only with a stated reason" in refused.stderr
    assert not (tmp_path / "x").exists()
    too_few = run_assay("bank", "export", *share_args[:2], "--out", str(tmp_path / "x"), "--status", "active", "--reason", "r", data=data_dir)
    assert too_few.returncode == 1 and "needs 3 of the 5" in too_few.stderr
    qti = run_assay("bank", "export", *share_args, "--out", str(tmp_path / "qti"), "--format", "qti",
                    "--status", "active", "--reason", "交换给合作机构审阅", data=data_dir)
    assert qti.returncode == 0, qti.stderr
    export_id = re.search(r"Export (EXP-\d{8}-[0-9a-f]{8})", qti.stdout).group(1)
    files = sorted((tmp_path / "qti").glob("*.xml"))
    assert len(files) == 4
    assert all(export_id in f.read_text(encoding="utf-8") for f in files)
    assert export_id in run_assay("audit", "tail", data=data_dir, check=True).stdout
    # The exported QTI 3.0 reads back into another bank.
    other = tmp_path / "other"
    run_assay("init", data=other, check=True)
    run_assay("bank", "init", data=other, check=True)
    reimport = run_assay("bank", "import", "--occupation", "2-02-10-09", "--level", "中级", "--point", "2.2.1",
                         *[str(f) for f in files], data=other)
    assert reimport.returncode == 0, reimport.stderr
    assert "Imported 4 items" in reimport.stdout
    yaml_export = run_assay("bank", "export", *share_args, "--out", str(tmp_path / "yaml"), "--status", "active",
                            "--reason", "备份", data=data_dir, check=True)
    (yaml_file,) = (tmp_path / "yaml").glob("*.yaml")
    assert "export_id: EXP-" in yaml_file.read_text(encoding="utf-8")
    text = yaml_file.read_text(encoding="utf-8").replace("TPL-", "COPY-")
    copy = tmp_path / "copy.yaml"
    copy.write_text(text, encoding="utf-8")
    assert run_assay("bank", "check", str(copy)).returncode == 0


def test_xlsx_template_imports_and_bad_or_truncated_workbooks_import_nothing(data_dir, tmp_path):
    import csv
    from xlsx_writer import write_xlsx

    run_assay("bank", "init", data=data_dir, check=True)
    with open(ROOT / "itembank" / "templates" / "item-template.csv", encoding="utf-8") as source:
        rows = list(csv.reader(source))
    bad_rows = [list(r) for r in rows]
    bad_rows[2][bad_rows[0].index("答案")] = "ABZ"
    bad = tmp_path / "bad.xlsx"
    write_xlsx(bad, bad_rows)
    result = run_assay("bank", "import", str(bad), data=data_dir)
    assert result.returncode == 1
    assert re.search(r"bad\.xlsx:3: item TPL-0002: the answer Z is not one of the options", result.stderr), result.stderr
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes((ROOT / "itembank" / "templates" / "item-template.xlsx").read_bytes()[:900])
    result = run_assay("bank", "import", str(truncated), data=data_dir)
    assert result.returncode == 1 and "not a readable XLSX file" in result.stderr
    assert "0 item(s)" in run_assay("bank", "list", data=data_dir, check=True).stdout
    ok = run_assay("bank", "import", str(ROOT / "itembank" / "templates" / "item-template.xlsx"), data=data_dir)
    assert ok.returncode == 0 and "Imported 4 items" in ok.stdout
