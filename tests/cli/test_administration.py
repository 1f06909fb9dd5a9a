"""Exam administration over the API of a live demo server: admission tickets (and their QR codes,
decoded from the drawing), evidence uploads sealed at rest, the annual plan, and the CSV/XLSX
exports of every list.

The demo seeds a published theory sitting with 32 approved candidates (the demo candidate among
them) and a draft practical sitting, so these tests read what an administrator would find there.
"""

import csv
import io
import json
import re
import sqlite3
import urllib.error
import urllib.request
import zipfile

import pytest
from PIL import Image, ImageDraw
import zxingcpp

from conftest import api_status_call, login_token

# A real 1×1 PNG (signature, IHDR, IDAT, IEND).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0f01f0005000201e5270ede0000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n% assay-evidence-marker-7c1f\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def account(demo_accounts, role):
    return next(a for a in demo_accounts if a["role"] == role)


def raw_call(url, path, token, data=None, content_type=None, method=None):
    """Any call; returns (status, headers, body bytes)."""
    headers = {"Authorization": f"Bearer {token}"}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def json_call(url, path, token, body, method):
    status, _, data = raw_call(url, path, token, json.dumps(body).encode(), "application/json", method)
    return status, json.loads(data or b"{}")


@pytest.fixture(scope="module")
def tokens(server_url, demo_accounts):
    return {role: login_token(server_url, account(demo_accounts, role)) for role in ("exam_admin", "supervisor", "candidate", "examiner", "body_admin")}


@pytest.fixture(scope="module")
def published(server_url, tokens):
    status, body = api_status_call(server_url, "/api/v1/sittings", tokens["exam_admin"])
    assert status == 200
    sitting = next(s for s in body["sittings"] if s["status"] == "published")
    return sitting


def decode_qr(svg: str) -> str:
    """Draws the SVG's modules (each `Mx yh1v1h-1z`) into an image and decodes it as a camera would."""
    side = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    scale = 8
    image = Image.new("L", (side * scale, side * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", svg):
        x, y = int(x), int(y)
        draw.rectangle([x * scale, y * scale, (x + 1) * scale - 1, (y + 1) * scale - 1], fill=0)
    results = zxingcpp.read_barcodes(image)
    assert results, "the QR code does not decode"
    return results[0].text


# ---------------------------------------------------------------- admission tickets


def test_the_candidate_has_a_ticket_whose_qr_code_opens_the_sitting_login(server_url, tokens, published):
    status, body = api_status_call(server_url, "/api/v1/tickets/mine", tokens["candidate"])
    assert status == 200
    [ticket] = [t for t in body["tickets"] if t["sitting"]["id"] == published["id"]]
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", ticket["code"])
    assert ticket["candidate"]["name"] == "孙悦"
    assert ticket["sitting"]["partName"] == "理论知识考核"
    assert ticket["sitting"]["durationMinutes"] == 90
    assert ticket["rules"], "the ticket prints the rules"
    assert ticket["loginURL"].endswith(f"/sit.html?ticket={ticket['code']}")
    assert decode_qr(ticket["qrSVG"]) == ticket["loginURL"]


def test_a_sitting_has_one_ticket_per_seat_with_unique_codes(server_url, tokens, published):
    status, sitting = api_status_call(server_url, f"/api/v1/sittings/{published['id']}", tokens["exam_admin"])
    assert status == 200
    seats = {(room["name"], index + 1): candidate for room in sitting["sitting"]["plan"]["rooms"] for index, candidate in enumerate(room["candidates"])}
    status, body = api_status_call(server_url, f"/api/v1/sittings/{published['id']}/tickets", tokens["exam_admin"])
    assert status == 200
    tickets = body["tickets"]
    assert len(tickets) == len(seats) > 0
    assert len({t["code"] for t in tickets}) == len(tickets)
    assert {(t["room"], t["seat"]) for t in tickets} == set(seats)
    for ticket in tickets:
        assert sitting["people"][seats[(ticket["room"], ticket["seat"])]]["name"] == ticket["candidate"]["name"]


def test_a_draft_sitting_has_no_tickets_and_others_cannot_print_them(server_url, tokens):
    _, body = api_status_call(server_url, "/api/v1/sittings", tokens["exam_admin"])
    draft = next(s for s in body["sittings"] if s["status"] == "draft")
    status, error = api_status_call(server_url, f"/api/v1/sittings/{draft['id']}/tickets", tokens["exam_admin"])
    assert status == 409 and error["error"]["code"] == "not_published"
    for role in ("candidate", "examiner", "supervisor"):
        status, _ = api_status_call(server_url, f"/api/v1/sittings/{draft['id']}/tickets", tokens[role])
        assert status == 403, role
    status, body = api_status_call(server_url, "/api/v1/tickets/mine", tokens["exam_admin"])
    assert status == 403


# ---------------------------------------------------------------- evidence


def test_evidence_is_checked_by_content_and_sealed_at_rest(server_url, tokens, demo):
    candidate = tokens["candidate"]
    status, _, body = raw_call(server_url, "/api/v1/evidence?kind=education&name=%E5%AD%A6%E5%8E%86.pdf", candidate, PDF, "application/pdf")
    assert status == 201, body
    evidence = json.loads(body)["evidence"]
    assert evidence["contentType"] == "application/pdf" and evidence["fileName"] == "学历.pdf" and evidence["size"] == len(PDF)

    # The owner and the exam administrator read the same bytes back; another candidate cannot see it.
    for role in ("candidate", "exam_admin", "supervisor"):
        status, headers, data = raw_call(server_url, f"/api/v1/evidence/{evidence['id']}", tokens[role])
        assert status == 200 and data == PDF and headers["Content-Type"] == "application/pdf", role
    status, _, _ = raw_call(server_url, f"/api/v1/evidence/{evidence['id']}", tokens["examiner"])
    assert status == 403

    # Sealed: the database file never holds the document's bytes.
    database = demo["data"] / "assay.sqlite"
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        (box,) = connection.execute("SELECT box FROM evidence WHERE id = ?", (evidence["id"],)).fetchone()
    finally:
        connection.close()
    assert b"assay-evidence-marker-7c1f" not in box and len(box) == len(PDF) + 28
    for path in demo["data"].glob("assay.sqlite*"):
        assert b"assay-evidence-marker-7c1f" not in path.read_bytes(), path


@pytest.mark.parametrize(
    "kind, data, declared, status, code",
    [
        ("photo", b"hello, I am text", "image/png", 415, "unsupported_type"),
        ("photo", PDF, "application/pdf", 415, "unsupported_type"),
        ("education", PDF, "image/png", 415, "type_mismatch"),
        ("education", b"", "application/pdf", 400, "empty_file"),
        ("passport-scan", PNG, "image/png", 400, "bad_kind"),
        ("photo", PNG[:8] + b"\0" * (2 * 1024 * 1024), "image/png", 413, "too_large"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(server_url, tokens, kind, data, declared, status, code):
    _, before = api_status_call(server_url, "/api/v1/evidence/mine", tokens["candidate"])
    got, _, body = raw_call(server_url, f"/api/v1/evidence?kind={kind}&name=x", tokens["candidate"], data, declared)
    assert got == status, body
    assert json.loads(body)["error"]["code"] == code
    _, after = api_status_call(server_url, "/api/v1/evidence/mine", tokens["candidate"])
    assert after == before


def test_a_photo_appears_on_the_ticket_and_can_be_replaced(server_url, tokens):
    status, _, body = raw_call(server_url, "/api/v1/evidence?kind=photo&name=me.png", tokens["candidate"], PNG, "image/png")
    assert status == 201
    photo = json.loads(body)["evidence"]["id"]
    _, tickets = api_status_call(server_url, "/api/v1/tickets/mine", tokens["candidate"])
    assert all(t["photo"] == photo for t in tickets["tickets"])
    status, _, _ = raw_call(server_url, f"/api/v1/evidence/{photo}", tokens["candidate"], method="DELETE")
    assert status == 204
    status, _, _ = raw_call(server_url, f"/api/v1/evidence/{photo}", tokens["candidate"])
    assert status == 404


def test_documents_behind_an_approved_application_cannot_be_withdrawn(server_url, tokens):
    status, _, body = raw_call(server_url, "/api/v1/evidence?kind=training&name=t.pdf", tokens["candidate"], PDF, "application/pdf")
    evidence = json.loads(body)["evidence"]["id"]
    status, _, body = raw_call(server_url, f"/api/v1/evidence/{evidence}", tokens["candidate"], method="DELETE")
    assert status == 409 and json.loads(body)["error"]["code"] == "evidence_in_use"
    status, _, _ = raw_call(server_url, f"/api/v1/evidence/{evidence}", tokens["candidate"])
    assert status == 200


# ---------------------------------------------------------------- the annual plan


def test_plans_are_validated_unique_editable_and_summarised(server_url, tokens):
    admin = tokens["exam_admin"]
    row = {"year": 2031, "occupation": "2-02-10-11", "level": "中级", "expectedCandidates": 80, "dates": ["2031-09-20", "2031-04-12"], "note": "试点"}
    status, body = json_call(server_url, "/api/v1/plans", admin, row, "POST")
    assert status == 201, body
    plan = body["plan"]
    assert plan["dates"] == ["2031-04-12", "2031-09-20"]

    status, body = json_call(server_url, "/api/v1/plans", admin, row, "POST")
    assert status == 409 and body["error"]["code"] == "duplicate_plan"
    bad = dict(row, year=2032, dates=["2032-02-30", "2033-01-01"], expectedCandidates=-1, occupation="9-99-99-99")
    status, body = json_call(server_url, "/api/v1/plans", admin, bad, "POST")
    assert status == 400 and body["error"]["code"] == "invalid_plan"
    for fragment in ("2032-02-30", "2033-01-01", "occupation"):
        assert fragment in body["error"]["message"]
    _, listed = api_status_call(server_url, "/api/v1/plans?year=2032", admin)
    assert listed["plans"] == []

    status, body = json_call(server_url, f"/api/v1/plans/{plan['id']}", admin, dict(row, expectedCandidates=95), "PUT")
    assert status == 200 and body["plan"]["expectedCandidates"] == 95
    status, body = json_call(server_url, f"/api/v1/plans/{plan['id']}", tokens["supervisor"], dict(row, expectedCandidates=1), "PUT")
    assert status == 403

    status, _, data = raw_call(server_url, "/api/v1/plans/export?year=2031", tokens["supervisor"])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["年度", "职业编码", "职业名称", "等级", "方向", "计划人数"]
    assert rows[1][:6] == ["2031", "2-02-10-11", "大数据工程技术人员", "中级", "", "95"]

    status, _, _ = raw_call(server_url, f"/api/v1/plans/{plan['id']}", admin, method="DELETE")
    assert status == 204
    _, listed = api_status_call(server_url, "/api/v1/plans?year=2031", admin)
    assert listed["plans"] == []


def test_the_plan_counts_what_actually_happened(server_url, tokens, published):
    year = int(published["startsAt"][:4])
    _, body = api_status_call(server_url, f"/api/v1/plans?year={year}", tokens["exam_admin"])
    junior = next(p for p in body["plans"] if p["plan"]["level"] == "初级" and p["plan"]["occupation"] == published["occupation"])
    assert junior["actual"]["sittings"] >= 2 and junior["actual"]["published"] >= 1
    assert junior["actual"]["placed"] >= 32


# ---------------------------------------------------------------- exports


def xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert "xl/worksheets/sheet1.xml" in names
        return "".join(archive.read(name).decode("utf-8") for name in names if name.endswith(".xml"))


@pytest.mark.parametrize("path", ["/api/v1/applications/export", "/api/v1/sittings/export", "/api/v1/staff/export", "/api/v1/plans/export"])
def test_every_list_exports_as_csv_and_xlsx(server_url, tokens, path):
    status, headers, data = raw_call(server_url, path, tokens["exam_admin"])
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert headers["Content-Disposition"].startswith("attachment;") and "filename*=UTF-8''" in headers["Content-Disposition"]
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) >= 2 and all(len(row) == len(rows[0]) for row in rows)

    status, headers, workbook = raw_call(server_url, path + "?format=xlsx", tokens["exam_admin"])
    assert status == 200 and headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    text = xlsx_text(workbook)
    assert rows[0][0] in text and rows[1][0] in text

    status, _, body = raw_call(server_url, path + "?format=pdf", tokens["exam_admin"])
    assert status == 400 and json.loads(body)["error"]["code"] == "bad_format"


def test_the_roster_export_masks_identity_for_supervisors(server_url, tokens, published):
    path = f"/api/v1/sittings/{published['id']}/roster/export"
    _, _, admin = raw_call(server_url, path, tokens["exam_admin"])
    _, _, supervisor = raw_call(server_url, path, tokens["supervisor"])
    admin_rows = list(csv.reader(io.StringIO(admin.decode("utf-8-sig"))))
    supervisor_rows = list(csv.reader(io.StringIO(supervisor.decode("utf-8-sig"))))
    assert admin_rows[0] == ["考场", "座位号", "姓名", "证件类型", "证件号码", "性别", "准考证号", "考务人员"]
    assert len(admin_rows) == len(supervisor_rows) >= 33
    for full, masked in zip(admin_rows[1:], supervisor_rows[1:]):
        assert full[2] == masked[2]
        assert re.fullmatch(r"\d{17}[\dX]", full[4]) and "*" in masked[4]
        assert full[6] and masked[6] == ""
    status, _, _ = raw_call(server_url, path, tokens["candidate"])
    assert status == 403
