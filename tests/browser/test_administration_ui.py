"""Browser tests of exam administration: sittings (考场编排), admission tickets (准考证), the annual
plan (年度考试计划), evidence uploads (证明材料), relations (回避关系申报) and the exports.

Same set-up as test_registration_ui.py (headless Chromium through chromedriver) against the
session's demo server. Each test makes its own candidates through the API (register, apply,
approve) for the 大数据工程技术人员 standard, in a direction of its own, so what a sitting seats is
known whatever else the demo data holds.

Set ASSAY_SCREENSHOTS to a folder to keep screenshots of the sittings, ticket and plan pages in
Chinese and English.
"""

import base64
import datetime
import io
import json
import pathlib
import re
import struct
import time
import uuid
import zlib

import zxingcpp
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import api_status_call, login_token
from test_login import account_for, driver, login, path_of, save_screenshot, wait  # noqa: F401 (driver is a fixture)
from test_registration_ui import click, new_candidate, set_date, type_into, years_ago

BIG_DATA = "2-02-10-11"
LEVEL = "中级"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


# ---------------------------------------------------------------- data through the API


def approved_candidates(server_url, demo_accounts, count, direction):
    """`count` new candidates, each with an approved application for 大数据 中级 `direction`."""
    admin = login_token(server_url, account_for(demo_accounts, "exam_admin"))
    status, commitment = api_status_call(server_url, "/api/v1/commitment")
    assert status == 200, commitment
    made = []
    for _ in range(count):
        candidate = new_candidate()
        status, body = api_status_call(server_url, "/api/v1/register", body={
            "username": candidate["username"], "password": candidate["password"], "name": candidate["name"],
            "idType": "resident_id", "idNumber": candidate["idNumber"],
        })
        assert status == 201, body
        token = login_token(server_url, candidate)
        form = {
            "occupation": BIG_DATA, "level": LEVEL, "direction": direction, "education": "本科", "relevantMajor": True,
            "certificate": "初级", "certificateObtained": years_ago(5), "yearsInOccupation": 5,
            "technicalSchoolGraduate": False, "trainingHours": 200,
        }
        status, body = api_status_call(server_url, "/api/v1/applications", token, {
            "form": form, "commitmentSHA256": commitment["sha256"], "accepted": True,
        })
        assert status == 201, body
        application = body["application"]
        status, body = api_status_call(server_url, f"/api/v1/applications/{application['id']}/decision", admin, {
            "decision": "approve", "reason": "浏览器测试：材料齐全，予以通过",
        })
        assert status == 200, body
        made.append({**candidate, "application": application["id"]})
    return made


def starts_at(days=40, hour=9):
    """A start `days` from now at `hour`:00 Beijing time, as the form's datetime-local value."""
    day = datetime.datetime.now(BEIJING).date() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def published_sitting_through_api(server_url, demo_accounts, direction):
    """A published theory sitting of 大数据 中级 `direction` seating new candidates; returns (sitting id, candidates)."""
    candidates = approved_candidates(server_url, demo_accounts, 2, direction)
    admin = login_token(server_url, account_for(demo_accounts, "exam_admin"))
    status, body = api_status_call(server_url, "/api/v1/sittings", admin, {
        "occupation": BIG_DATA, "level": LEVEL, "direction": direction, "part": "theory",
        "startsAt": f"{starts_at(days=45, hour=14)}:00+08:00", "venue": "接口测试考点", "rooms": [{"name": "A1", "capacity": 40}],
    })
    assert status == 201, body
    sitting = body["sitting"]["id"]
    for path, payload in ((f"/api/v1/sittings/{sitting}/place", {}), (f"/api/v1/sittings/{sitting}/staff", {"draw": True})):
        status, body = api_status_call(server_url, path, admin, payload)
        assert status == 200, body
    status, staff = api_status_call(server_url, "/api/v1/staff", admin)
    assert status == 200, staff
    supervisors = [member["id"] for member in staff["staff"] if "supervisor" in member["roles"]]
    status, body = api_status_call(server_url, f"/api/v1/sittings/{sitting}/supervisors", admin, {"supervisors": supervisors[:1]})
    assert status == 200, body
    status, body = api_status_call(server_url, f"/api/v1/sittings/{sitting}/publish", admin, {})
    assert status == 200, body
    return sitting, candidates


def tiny_png(path: pathlib.Path) -> pathlib.Path:
    """A valid 4×4 PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    pixels = b"".join(b"\x00" + b"\x1f\x5c\xc0" * 4 for _ in range(4))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b"")
    )
    return path


# ---------------------------------------------------------------- browser helpers


def ready(browser: WebDriver) -> None:
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))


def open_page(browser: WebDriver, server_url: str, path: str) -> None:
    browser.get(f"{server_url}{path}")
    ready(browser)


def use_language(browser: WebDriver, lang: str) -> None:
    browser.execute_script("window.localStorage.setItem('assay.lang', arguments[0])", lang)


def allow_downloads(browser: WebDriver, folder: pathlib.Path) -> None:
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})


def downloaded(folder: pathlib.Path, name: str, timeout=20) -> bytes:
    path = folder / name
    deadline = time.time() + timeout
    while time.time() < deadline:
        if path.exists() and not list(folder.glob("*.crdownload")):
            return path.read_bytes()
        time.sleep(0.1)
    raise AssertionError(f"{name} was not downloaded; {folder} holds {[p.name for p in folder.iterdir()]}")


def fetch_in_page(browser: WebDriver, path: str, method="GET", body=None, content_type=None):
    """A request from inside the page (same origin, session cookie): {status, type, disposition, text}."""
    return json.loads(browser.execute_async_script(
        """
        const [path, method, body, type, done] = arguments;
        const init = {method, credentials: 'same-origin', headers: {}};
        if (body !== null) { init.body = new Blob([body]); init.headers['Content-Type'] = type; }
        fetch(path, init).then(async (r) => done(JSON.stringify({
          status: r.status, type: r.headers.get('Content-Type'), disposition: r.headers.get('Content-Disposition'), text: await r.text(),
        }))).catch((e) => done(JSON.stringify({status: 0, text: String(e)})));
        """,
        path, method, body, content_type,
    ))


def detail_message(browser: WebDriver, code: str):
    """Waits for the sitting's message box to carry `code`; returns it."""
    wait(browser, 30).until(lambda b: b.find_element(By.ID, "detail-message").get_attribute("data-code") == code)
    return browser.find_element(By.ID, "detail-message")


def detail_idle(browser: WebDriver) -> None:
    """Waits until the sitting on show is read, and read again after the last change."""
    def settled(b):
        section = b.find_element(By.ID, "detail-section")
        return (section.get_attribute("data-state") == "ok" and section.get_attribute("data-refreshing") is None
                and not b.find_elements(By.CSS_SELECTOR, "#detail-body .btn.is-busy"))
    wait(browser, 30).until(settled)


def texts(browser: WebDriver, selector: str):
    """The texts of the elements matching `selector`, read again if the page redraws them meanwhile."""
    return wait(browser).until(lambda b: [node.text for node in b.find_elements(By.CSS_SELECTOR, selector)] or False)


def candidate_rows(browser: WebDriver, room: str):
    return browser.find_elements(By.CSS_SELECTOR, f'#detail-rooms .room-card[data-room="{room}"] tbody tr')


def scanned(qr) -> str:
    """The QR code as the browser drew it, read as a camera would."""
    qr.parent.execute_script("arguments[0].scrollIntoView({block: 'center'})", qr)
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot_as_png)))
    assert results, "the QR code on the page does not decode"
    return results[0].text


def check_tickets(browser: WebDriver, expected_codes):
    """Every ticket on the page shows its code in large type and an SVG QR code."""
    wait(browser).until(lambda b: b.find_element(By.ID, "tickets").get_attribute("data-state") == "ok")
    tickets = browser.find_elements(By.CSS_SELECTOR, "#tickets article.ticket")
    assert len(tickets) == len(expected_codes), (len(tickets), expected_codes)
    shown = []
    for ticket in tickets:
        code = ticket.find_element(By.CSS_SELECTOR, ".ticket-code").text.strip()
        assert code and code == ticket.get_attribute("data-code")
        qr = ticket.find_elements(By.CSS_SELECTOR, "figure.ticket-qr svg.ticket-qr-svg")
        assert qr, f"ticket {code} has no QR code"
        assert qr[0].find_elements(By.CSS_SELECTOR, "path, rect"), f"the QR code of {code} is empty"
        assert not ticket.find_elements(By.CSS_SELECTOR, "script, foreignObject")
        assert ticket.find_element(By.CSS_SELECTOR, ".ticket-rule-list li").text.strip(), "the rules are printed"
        shown.append(code)
    assert sorted(shown) == sorted(expected_codes)
    return tickets


# ---------------------------------------------------------------- tests


def test_exam_admin_arranges_publishes_and_prints_a_sitting(driver, server_url, demo_accounts, tmp_path):
    direction = "大数据分析"
    candidates = approved_candidates(server_url, demo_accounts, 3, direction)
    allow_downloads(driver, tmp_path)

    login(driver, server_url, account_for(demo_accounts, "exam_admin"))
    card = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="sessions"]')))
    assert card.get_attribute("href").endswith("/sittings.html")
    assert driver.find_element(By.CSS_SELECTOR, '#workbench a.work-card[data-work="examPlans"]').get_attribute("href").endswith("/plans.html")
    card.click()
    wait(driver).until(lambda b: path_of(b) == "/sittings.html")
    ready(driver)

    # ---- a new sitting: what is missing is said beside its field before anything is sent
    click(driver, driver.find_element(By.ID, "create-open"))
    wait(driver).until(EC.visibility_of_element_located((By.ID, "create-form")))
    Select(driver.find_element(By.ID, "create-occupation")).select_by_value(BIG_DATA)
    Select(driver.find_element(By.ID, "create-level")).select_by_value(LEVEL)
    Select(driver.find_element(By.ID, "create-part")).select_by_value("theory")
    click(driver, driver.find_element(By.ID, "create-submit"))
    assert "请选择方向" in wait(driver).until(EC.visibility_of_element_located((By.ID, "create-direction-error"))).text
    assert "请填写开考时间" in driver.find_element(By.ID, "create-starts-error").text
    assert "请填写考点" in driver.find_element(By.ID, "create-venue-error").text
    assert driver.find_element(By.ID, "create-direction").get_attribute("aria-invalid") == "true"

    Select(driver.find_element(By.ID, "create-direction")).select_by_value(direction)
    set_date(driver, "create-starts", starts_at())
    type_into(driver, "create-venue", "浏览器测试考点（北京市海淀区）")
    room_name = driver.find_element(By.CSS_SELECTOR, "#create-rooms .room-name-input")
    room_name.clear()
    room_name.send_keys("T1")
    capacity = driver.find_element(By.CSS_SELECTOR, "#create-rooms .room-capacity-input")
    capacity.clear()
    capacity.send_keys("40")
    assert "90 分钟" in driver.find_element(By.ID, "create-part-hint").text, "the duration comes from the standard"
    click(driver, driver.find_element(By.ID, "create-submit"))

    wait(driver).until(lambda b: b.find_element(By.ID, "list-message").get_attribute("data-code") == "created")
    sitting = wait(driver).until(lambda b: b.find_element(By.ID, "detail-section").get_attribute("data-id"))
    assert sitting.startswith("SIT-"), sitting
    assert driver.find_element(By.ID, "create-section").get_attribute("hidden") is not None, "the form closes"
    detail_idle(driver)
    assert driver.find_element(By.ID, "detail-status").text.strip() == "草稿"
    assert "北京时间" in driver.find_element(By.ID, "detail-starts").text
    assert driver.find_element(By.CSS_SELECTOR, f'#sittings-table tr[data-id="{sitting}"]')
    problems = driver.find_element(By.ID, "detail-problem-list").text
    assert "督导" in problems, problems

    # ---- seat the approved candidates
    click(driver, driver.find_element(By.ID, "action-place"))
    message = detail_message(driver, "placed")
    assert "全部符合条件的考生均已安排" in message.text
    detail_idle(driver)
    rows = wait(driver).until(lambda b: candidate_rows(b, "T1") if len(candidate_rows(b, "T1")) >= 3 else False)
    seated = [row.find_element(By.CSS_SELECTOR, ".room-person").text for row in rows]
    numbers = [row.find_elements(By.CSS_SELECTOR, "td")[1].text for row in rows]
    for candidate in candidates:
        assert candidate["idNumber"] in numbers, (candidate, numbers)
        assert candidate["name"] in seated
    assert [row.find_element(By.CSS_SELECTOR, ".room-seat").text for row in rows][:3] == ["01", "02", "03"]
    placed = len(rows)

    # ---- one invigilator only: publishing is refused, naming the rule
    click(driver, driver.find_element(By.CSS_SELECTOR, '.room-card[data-room="T1"] .room-edit'))
    pick = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#staff-pick .ed-check")))
    click(driver, pick.find_element(By.TAG_NAME, "input"))
    click(driver, driver.find_element(By.ID, "staff-save"))
    assert "T1" in detail_message(driver, "staffed").text
    detail_idle(driver)
    assert len(driver.find_elements(By.CSS_SELECTOR, '.room-card[data-room="T1"] .staff-chip')) == 1

    click(driver, driver.find_element(By.ID, "action-publish"))
    detail_message(driver, "publish_refused")
    detail_idle(driver)
    lines = texts(driver, "#publish-problems li")
    assert any("考场 T1" in line and "监考员" in line and "每考场至少2名" in line and "现有1名" in line for line in lines), lines
    assert any("督导" in line for line in lines), lines
    # Every broken rule on a line of its own, as the server lists them.
    view = fetch_in_page(driver, f"/api/v1/sittings/{sitting}")
    assert lines == json.loads(view["text"])["problems"], lines
    assert f"以下 {len(lines)} 条规则未满足" in driver.find_element(By.ID, "detail-message").text
    save_screenshot(driver, "sittings-refused")
    assert driver.find_element(By.ID, "detail-status").text.strip() == "草稿"
    assert int(driver.find_element(By.ID, "detail-problems").get_attribute("data-count")) >= 2

    # ---- fix it: draw the staff, name a supervisor, publish
    click(driver, driver.find_element(By.ID, "action-draw"))
    detail_message(driver, "drawn")
    detail_idle(driver)
    assert len(driver.find_elements(By.CSS_SELECTOR, '.room-card[data-room="T1"] .staff-chip')) >= 2
    click(driver, driver.find_element(By.ID, "supervisors-edit"))
    supervisor = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#supervisor-pick .ed-check")))
    assert "supervisor" in supervisor.text
    click(driver, supervisor.find_element(By.TAG_NAME, "input"))
    click(driver, driver.find_element(By.ID, "supervisors-save"))
    detail_message(driver, "supervised")
    detail_idle(driver)
    assert driver.find_element(By.ID, "detail-problems").get_attribute("data-count") == "0"
    assert "可以发布" in driver.find_element(By.ID, "detail-problems").text
    assert driver.find_elements(By.CSS_SELECTOR, "#supervisor-chips .staff-chip")
    save_screenshot(driver, "sittings-ready")

    click(driver, driver.find_element(By.ID, "action-publish"))
    detail_message(driver, "published")
    detail_idle(driver)
    assert driver.find_element(By.ID, "detail-status").text.strip() == "已发布"
    assert not driver.find_elements(By.ID, "action-publish"), "a published sitting has no actions"
    save_screenshot(driver, "sittings-published")

    # ---- exports: the sitting list and this sitting's roster, as files
    click(driver, driver.find_element(By.ID, "sittings-export-csv"))
    listing = downloaded(tmp_path, "考试场次.csv").decode("utf-8-sig")
    assert sitting in listing and "已发布" in listing
    click(driver, driver.find_element(By.ID, "roster-export-xlsx"))
    roster = downloaded(tmp_path, f"场次{sitting}考生名册.xlsx")
    assert roster.startswith(b"PK"), "an XLSX file is a zip"
    status = driver.find_element(By.ID, "roster-export-status").text
    assert "已下载" in status, status

    # ---- the admission tickets of the sitting, one per printed page
    click(driver, driver.find_element(By.ID, "ticket-link"))
    wait(driver).until(lambda b: path_of(b) == "/ticket.html")
    ready(driver)
    api = fetch_in_page(driver, f"/api/v1/sittings/{sitting}/tickets")
    assert api["status"] == 200, api
    issued = json.loads(api["text"])["tickets"]
    codes = [ticket["code"] for ticket in issued]
    assert len(codes) == placed
    tickets = check_tickets(driver, codes)
    first = next(ticket for ticket in issued if ticket["code"] == tickets[0].get_attribute("data-code"))
    assert scanned(tickets[0].find_element(By.CSS_SELECTOR, "svg.ticket-qr-svg")) == first["loginURL"]
    mine = next(ticket for ticket in tickets if candidates[0]["idNumber"] in ticket.text)
    assert candidates[0]["name"] in mine.text and "浏览器测试考点" in mine.text and "北京时间" in mine.text
    assert "请上传照片" in mine.find_element(By.CSS_SELECTOR, ".ticket-photo").text
    assert driver.find_element(By.ID, "print-button").is_enabled()
    save_screenshot(driver, "ticket-admin")

    pdf = base64.b64decode(driver.print_page())
    assert pdf.startswith(b"%PDF"), pdf[:16]
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == len(codes), f"{pages} printed pages for {len(codes)} tickets: one ticket per page"

    use_language(driver, "en")
    driver.refresh()
    ready(driver)
    check_tickets(driver, codes)
    assert driver.find_element(By.CSS_SELECTOR, ".ticket-title").text.strip() == "Admission ticket"
    assert "Beijing time" in driver.find_element(By.CSS_SELECTOR, ".ticket-time").text
    save_screenshot(driver, "ticket-admin-en")
    open_page(driver, server_url, f"/sittings.html#sitting={sitting}")
    detail_idle(driver)
    assert driver.find_element(By.ID, "detail-status").text.strip() == "Published"
    save_screenshot(driver, "sittings-en")


def test_candidate_uploads_evidence_and_prints_the_ticket(driver, server_url, demo_accounts, tmp_path):
    sitting, candidates = published_sitting_through_api(server_url, demo_accounts, "大数据处理")
    candidate = candidates[0]
    photo = tiny_png(tmp_path / "证件照.png")
    fake = tmp_path / "not-a-picture.png"
    fake.write_text("this is a text file, not a PNG\n", encoding="utf-8")

    login(driver, server_url, candidate)
    ticket_card = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="admissionTicket"]')))
    assert ticket_card.get_attribute("href").endswith("/ticket.html")
    open_page(driver, server_url, "/apply.html")
    wait(driver).until(lambda b: b.find_element(By.ID, "evidence-body").get_attribute("data-state") == "ok")
    assert driver.find_element(By.ID, "evidence-empty")

    # ---- a photo: checked here, sent, listed, shown
    driver.find_element(By.ID, "evidence-photo-file").send_keys(str(photo))
    click(driver, driver.find_element(By.ID, "evidence-photo-upload"))
    wait(driver).until(lambda b: b.find_element(By.ID, "evidence-message").get_attribute("data-code") == "uploaded")
    row = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '#evidence-table tr[data-kind="photo"]')))
    assert "证件照.png" in row.text and "证件照" in row.text and "PNG" in row.text
    preview = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#evidence-photo-preview img")))
    assert preview.get_attribute("src").startswith("blob:")
    wait(driver).until(lambda b: b.execute_script("const img = document.querySelector('#evidence-photo-preview img'); return img && img.complete && img.naturalWidth === 4"))

    # Viewing opens the stored file (fetched with the session) in a new tab.
    home = driver.current_window_handle
    click(driver, row.find_element(By.CSS_SELECTOR, '[data-action="evidence-view"]'))
    wait(driver).until(lambda b: len(b.window_handles) == 2)
    driver.switch_to.window(next(handle for handle in driver.window_handles if handle != home))
    wait(driver).until(lambda b: b.current_url.startswith("blob:"))
    driver.close()
    driver.switch_to.window(home)

    # ---- a text file named .png: refused with a message beside the file, and by the server too
    Select(driver.find_element(By.ID, "evidence-kind")).select_by_value("education")
    driver.find_element(By.ID, "evidence-file").send_keys(str(fake))
    click(driver, driver.find_element(By.ID, "evidence-upload"))
    error = wait(driver).until(EC.visibility_of_element_located((By.ID, "evidence-file-error")))
    assert "not-a-picture.png" in error.text and "不是" in error.text, error.text
    assert driver.find_element(By.ID, "evidence-file").get_attribute("aria-invalid") == "true"
    assert len(driver.find_elements(By.CSS_SELECTOR, "#evidence-table tbody tr")) == 1, "nothing was sent"
    # A document an approved application rests on stays: the server's refusal is shown.
    proof = tmp_path / "培训证明.pdf"
    proof.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    Select(driver.find_element(By.ID, "evidence-kind")).select_by_value("training")
    driver.find_element(By.ID, "evidence-file").send_keys(str(proof))
    click(driver, driver.find_element(By.ID, "evidence-upload"))
    proof_row = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '#evidence-table tr[data-kind="training"]')))
    assert "培训证明.pdf" in proof_row.text and "PDF" in proof_row.text
    click(driver, proof_row.find_element(By.CSS_SELECTOR, '[data-action="evidence-delete"]'))
    click(driver, wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-action="evidence-delete-confirm"]'))))
    wait(driver).until(lambda b: b.find_element(By.ID, "evidence-message").get_attribute("data-code") == "evidence_in_use")
    assert "不能删除" in driver.find_element(By.ID, "evidence-message").text
    wait(driver).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#evidence-table tbody tr")) == 2)
    refused = fetch_in_page(driver, "/api/v1/evidence?kind=photo&name=x.png", "POST", "this is a text file", "image/png")
    assert refused["status"] == 415 and "unsupported_type" in refused["text"], refused
    save_screenshot(driver, "apply-evidence")

    # ---- the ticket carries the photo, the code and the QR code
    open_page(driver, server_url, "/ticket.html")
    status, body = api_status_call(server_url, "/api/v1/tickets/mine", login_token(server_url, candidate))
    assert status == 200, body
    codes = [ticket["code"] for ticket in body["tickets"]]
    assert [ticket["sitting"]["id"] for ticket in body["tickets"]] == [sitting]
    tickets = check_tickets(driver, codes)
    assert candidate["name"] in tickets[0].text
    assert scanned(tickets[0].find_element(By.CSS_SELECTOR, "svg.ticket-qr-svg")) == body["tickets"][0]["loginURL"]
    wait(driver).until(lambda b: b.execute_script("const img = document.querySelector('.ticket-photo img'); return img && img.complete && img.naturalWidth === 4"))
    assert not driver.find_elements(By.CSS_SELECTOR, ".ticket-photo-hint")
    pdf = base64.b64decode(driver.print_page())
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    save_screenshot(driver, "ticket-candidate")

    # ---- the administrator sees the document with the application, and exports the queue
    driver.delete_all_cookies()
    allow_downloads(driver, tmp_path)
    login(driver, server_url, account_for(demo_accounts, "exam_admin"))
    open_page(driver, server_url, "/applications.html")
    Select(driver.find_element(By.ID, "filter-status")).select_by_value("approved")
    Select(driver.find_element(By.ID, "filter-occupation")).select_by_value(BIG_DATA)
    wait(driver).until(lambda b: b.find_element(By.ID, "queue-body").get_attribute("data-state") == "ok")
    row = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, f'#queue-table tr[data-id="{candidate["application"]}"]')))
    click(driver, row)
    wait(driver).until(lambda b: b.find_element(By.ID, "application").get_attribute("data-state") == "ok")
    evidence_block = wait(driver).until(EC.visibility_of_element_located((By.ID, "detail-evidence")))
    status, detail = api_status_call(server_url, f"/api/v1/applications/{candidate['application']}", login_token(server_url, account_for(demo_accounts, "exam_admin")))
    assert status == 200, detail
    assert "photo" in [e["kind"] for e in detail["evidence"]]
    item = evidence_block.find_element(By.CSS_SELECTOR, '#detail-evidence-list li[data-kind="photo"]')
    assert "证件照.png" in item.text
    driver.find_element(By.ID, "application-close").click()
    click(driver, driver.find_element(By.ID, "applications-export-csv"))
    exported = downloaded(tmp_path, "申报名单.csv").decode("utf-8-sig")
    assert candidate["application"] in exported and candidate["idNumber"] in exported


def test_plans_page_adds_edits_deletes_and_exports(driver, server_url, demo_accounts, tmp_path):
    year = datetime.datetime.now(BEIJING).year + 1
    note = f"浏览器测试 {uuid.uuid4().hex[:6]}"
    allow_downloads(driver, tmp_path)
    login(driver, server_url, account_for(demo_accounts, "exam_admin"))
    open_page(driver, server_url, "/plans.html")
    Select(driver.find_element(By.ID, "plan-year")).select_by_value(str(year))
    wait(driver).until(lambda b: b.find_element(By.ID, "plans-body").get_attribute("data-state") == "ok")
    assert str(year) in driver.find_element(By.ID, "plans-title").text
    assert f"year={year}" in driver.current_url

    # ---- a date outside the year is refused beside the dates
    Select(driver.find_element(By.ID, "plan-occupation")).select_by_value(BIG_DATA)
    Select(driver.find_element(By.ID, "plan-level")).select_by_value(LEVEL)
    Select(driver.find_element(By.ID, "plan-direction")).select_by_value("大数据管理")
    type_into(driver, "plan-expected", "60")
    set_date(driver, "plan-date", f"{year - 1}-12-01")
    click(driver, driver.find_element(By.ID, "plan-date-add"))
    assert str(year) in wait(driver).until(EC.visibility_of_element_located((By.ID, "plan-dates-error"))).text
    for day in (f"{year}-06-13", f"{year}-11-14"):
        set_date(driver, "plan-date", day)
        click(driver, driver.find_element(By.ID, "plan-date-add"))
    wait(driver).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#plan-dates .date-chip")) == 2)
    type_into(driver, "plan-note", note)
    click(driver, driver.find_element(By.ID, "plan-submit"))
    wait(driver).until(lambda b: b.find_element(By.ID, "plans-message").get_attribute("data-code") == "created")

    def our_row(b):
        rows = [row for row in b.find_elements(By.CSS_SELECTOR, "#plans-table tbody tr.plan-row") if note in row.text]
        return rows[0] if rows else False
    row = wait(driver).until(our_row)
    assert row.find_element(By.CSS_SELECTOR, ".plan-expected").text == "60"
    assert "大数据管理" in row.text and f"{year}/06/13" in row.text and f"{year}/11/14" in row.text
    assert row.find_element(By.CSS_SELECTOR, ".plan-sittings").text.startswith("0 / 2")
    save_screenshot(driver, "plans")

    # ---- edit the expected number
    click(driver, row.find_element(By.CSS_SELECTOR, '[data-action="edit"]'))
    assert driver.find_element(By.ID, "plan-expected").get_attribute("value") == "60"
    assert driver.find_element(By.ID, "plan-form-title").text == "编辑计划"
    type_into(driver, "plan-expected", "75")
    click(driver, driver.find_element(By.ID, "plan-submit"))
    wait(driver).until(lambda b: b.find_element(By.ID, "plans-message").get_attribute("data-code") == "updated")
    wait(driver).until(lambda b: our_row(b) and our_row(b).find_element(By.CSS_SELECTOR, ".plan-expected").text == "75")

    # ---- the year-end summary
    click(driver, driver.find_element(By.ID, "plans-export-buttons-csv"))
    summary = downloaded(tmp_path, "考试计划.csv").decode("utf-8-sig")
    assert note in summary and "75" in summary
    api = fetch_in_page(driver, f"/api/v1/plans/export?year={year}&format=xlsx")
    assert api["status"] == 200 and "spreadsheetml" in api["type"] and "attachment" in api["disposition"], api

    use_language(driver, "en")
    driver.refresh()
    ready(driver)
    wait(driver).until(our_row)
    assert driver.find_element(By.ID, "plans-title").text == f"Exam plan {year}"
    save_screenshot(driver, "plans-en")
    use_language(driver, "zh-CN")
    driver.refresh()
    ready(driver)

    # ---- delete, after a confirmation
    click(driver, wait(driver).until(our_row).find_element(By.CSS_SELECTOR, '[data-action="delete"]'))
    click(driver, wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-action="delete-confirm"]'))))
    wait(driver).until(lambda b: b.find_element(By.ID, "plans-message").get_attribute("data-code") == "deleted")
    wait(driver).until(lambda b: b.find_element(By.ID, "plans-body").get_attribute("data-state") == "ok" and not our_row(b))


def test_examiner_declares_a_relation_from_home(driver, server_url, demo_accounts):
    candidate = new_candidate()
    status, body = api_status_call(server_url, "/api/v1/register", body={
        "username": candidate["username"], "password": candidate["password"], "name": candidate["name"],
        "idType": "resident_id", "idNumber": candidate["idNumber"],
    })
    assert status == 201, body

    login(driver, server_url, account_for(demo_accounts, "examiner"))
    card = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="relations"]')))
    assert "回避关系申报" in card.text
    card.click()
    wait(driver).until(lambda b: path_of(b) == "/sittings.html")
    ready(driver)
    assert driver.find_element(By.ID, "relations").is_displayed()
    assert not driver.find_element(By.ID, "list-section").is_displayed(), "examiners do not read sittings"
    assert driver.execute_script("return document.activeElement.id") == "relation-idnumber"

    # An unknown number is refused beside the field.
    other = new_candidate()["idNumber"]
    type_into(driver, "relation-idnumber", other)
    Select(driver.find_element(By.ID, "relation-kind")).select_by_value("colleague")
    click(driver, driver.find_element(By.ID, "relation-submit"))
    error = wait(driver).until(EC.visibility_of_element_located((By.ID, "relation-idnumber-error")))
    assert "没有证件号码为该号码的考生" in error.text
    assert driver.find_element(By.ID, "relation-message").get_attribute("data-code") == "unknown_candidate"

    type_into(driver, "relation-idnumber", candidate["idNumber"])
    Select(driver.find_element(By.ID, "relation-kind")).select_by_value("same_employer")
    click(driver, driver.find_element(By.ID, "relation-submit"))
    wait(driver).until(lambda b: b.find_element(By.ID, "relation-message").get_attribute("data-code") == "declared")
    assert "同一单位" in driver.find_element(By.ID, "relation-message").text
    assert not driver.find_element(By.ID, "relation-idnumber-error").is_displayed()


def test_supervisor_reads_sittings_without_changing_them(driver, server_url, demo_accounts):
    sitting, _ = published_sitting_through_api(server_url, demo_accounts, "大数据管理")
    login(driver, server_url, account_for(demo_accounts, "supervisor"))
    card = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="onsiteSupervision"]')))
    card.click()
    wait(driver).until(lambda b: path_of(b) == "/sittings.html")
    ready(driver)
    assert driver.find_element(By.ID, "readonly-note").is_displayed()
    assert not driver.find_element(By.ID, "create-open").is_displayed()
    row = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, f'#sittings-table tr[data-id="{sitting}"]')))
    click(driver, row)
    detail_idle(driver)
    assert not driver.find_elements(By.CSS_SELECTOR, "#action-place, #action-draw, #action-publish, .room-edit, #ticket-link")
    numbers = [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "#detail-rooms tbody td:nth-child(3)")]
    assert numbers and all("*" in number for number in numbers), numbers
    assert driver.find_element(By.ID, "roster-export-csv").is_displayed()
    assert driver.find_element(By.ID, "relations").is_displayed()
