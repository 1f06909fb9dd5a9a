"""Browser tests of candidate registration (考生注册), applications (我的申报) and their review (申报审核).

Same set-up as test_papers_ui.py (headless Chromium through chromedriver) against the session's
demo server. Every run registers new candidates with a random username and a random, valid
居民身份证 number, so reruns against the same demo data do not collide.

Set ASSAY_SCREENSHOTS to a folder to keep screenshots of the registration error, the apply page
with a result, and the administrator's queue.
"""

import datetime
import random
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import api_status_call, login_token
from test_login import account_for, driver, login, open_login, path_of, save_screenshot, wait  # noqa: F401 (driver is a fixture)

AI = "2-02-10-09"
PLATFORM = "人工智能平台产品实现"
PASSWORD = "violet-harbour-5821"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARACTERS = "10X98765432"


# ---------------------------------------------------------------- helpers


def resident_id(rng: random.Random) -> str:
    """A valid 居民身份证 number (GB 11643): region 110101 (东城区), a random birth date and sequence."""
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 30))
    body = f"110101{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + CHECK_CHARACTERS[sum(int(digit) * weight for digit, weight in zip(body, WEIGHTS)) % 11]


def wrong_check(number: str) -> str:
    """The same number with another check character."""
    return number[:17] + next(c for c in CHECK_CHARACTERS if c != number[17])


def new_candidate():
    rng = random.Random(uuid.uuid4().int)
    number = resident_id(rng)
    gender = "男" if int(number[16]) % 2 else "女"
    return {
        "username": f"cand-{uuid.uuid4().hex[:10]}",
        "password": PASSWORD,
        "name": rng.choice(["王小明", "李晓华", "张建国", "陈思远"]),
        "idNumber": number,
        "gender": gender,
        "birthDate": f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
    }


def years_ago(years: int) -> str:
    today = datetime.date.today()
    return today.replace(year=today.year - years, day=1).isoformat()


def training_hours(server_url, demo_accounts, level):
    """The level's required training hours, from the standard (as an administrator reads it)."""
    token = login_token(server_url, account_for(demo_accounts, "exam_admin"))
    status, body = api_status_call(server_url, f"/api/v1/exams/{AI}", token)
    assert status == 200, body
    return next(spec["training_hours"] for spec in body["standard"]["levels"] if spec["level"] == level)


def active_id(browser: WebDriver) -> str:
    return browser.execute_script("return document.activeElement && document.activeElement.id")


def click(browser: WebDriver, element) -> None:
    """Clicks `element` once it is in the middle of the window (clear of the sticky top bar)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def type_into(browser: WebDriver, element_id, value) -> None:
    element = browser.find_element(By.ID, element_id)
    element.clear()
    if value:
        element.send_keys(str(value))


def set_date(browser: WebDriver, element_id, value) -> None:
    """Sets a date input (its typed format depends on the browser's locale; its value does not)."""
    browser.execute_script(
        "const field = document.getElementById(arguments[0]); field.value = arguments[1];"
        "field.dispatchEvent(new Event('input', {bubbles: true})); field.dispatchEvent(new Event('change', {bubbles: true}));",
        element_id, value,
    )


def set_checked(browser: WebDriver, element_id, checked: bool) -> None:
    box = browser.find_element(By.ID, element_id)
    if box.is_selected() != checked:
        click(browser, box)


def fill_application(browser: WebDriver, level, *, education, certificate=None, certificate_date=None, hours, years):
    Select(browser.find_element(By.ID, "apply-occupation")).select_by_value(AI)
    Select(browser.find_element(By.ID, "apply-level")).select_by_value(level)
    Select(browser.find_element(By.ID, "apply-direction")).select_by_value(PLATFORM)
    Select(browser.find_element(By.ID, "apply-education")).select_by_value(education)
    type_into(browser, "apply-major", "计算机科学与技术")
    set_checked(browser, "apply-relevant", True)
    Select(browser.find_element(By.ID, "apply-certificate")).select_by_value(certificate or "")
    if certificate:
        set_date(browser, "apply-certificate-date", certificate_date)
        type_into(browser, "apply-certificate-number", f"AI-{uuid.uuid4().hex[:8].upper()}")
    type_into(browser, "apply-years", years)
    type_into(browser, "apply-hours", hours)
    type_into(browser, "apply-employer", "示例科技有限公司")


def submit_application(browser: WebDriver) -> None:
    click(browser, browser.find_element(By.ID, "apply-submit"))


def wait_for_result(browser: WebDriver, previous_id=None):
    """Waits for a new submission's result box; returns it."""
    def ready(b):
        box = b.find_element(By.ID, "apply-result")
        return box.is_displayed() and box.find_elements(By.ID, "apply-result-verdict") and (previous_id is None or previous_id not in box.text)
    wait(browser).until(ready)
    return browser.find_element(By.ID, "apply-result")


def my_applications(browser: WebDriver):
    """The candidate's applications as the server has them, read from inside the page."""
    return browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch('/api/v1/applications/mine', {credentials: 'same-origin', headers: {Accept: 'application/json'}})
          .then((r) => r.json()).then((body) => done(body.applications.map((view) => view.application)));
        """
    )


def card_of(browser: WebDriver, application_id):
    selector = f'#mine-list li.app-card[data-id="{application_id}"]'
    return wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))


def open_queue_from_home(browser: WebDriver) -> None:
    card = wait(browser).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="registrationReview"]')))
    assert "申报审核" in card.text
    card.click()
    wait(browser).until(lambda b: path_of(b) == "/applications.html")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))


def choose_filter(browser: WebDriver, element_id, value) -> None:
    """Changes a queue filter and waits for the queue it asks for."""
    Select(browser.find_element(By.ID, element_id)).select_by_value(value)
    wait(browser).until(lambda b: b.find_element(By.ID, "queue-body").get_attribute("data-state") == "ok")


def queue_row(browser: WebDriver, application_id):
    def find(b):
        rows = b.find_elements(By.CSS_SELECTOR, f'#queue-table tbody tr[data-id="{application_id}"]')
        return rows[0] if rows else False
    return wait(browser).until(find)


def open_application(browser: WebDriver, application_id) -> None:
    """Opens an application from its row, by keyboard, and waits for its detail."""
    row = queue_row(browser, application_id)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", row)
    row.send_keys(Keys.ENTER)
    wait(browser).until(EC.visibility_of_element_located((By.ID, "application")))
    wait(browser).until(lambda b: b.find_element(By.ID, "application").get_attribute("data-state") == "ok")
    wait(browser).until(lambda b: b.find_element(By.ID, "application-id").text.strip() == application_id)


def close_application(browser: WebDriver) -> None:
    browser.find_element(By.ID, "application-close").click()
    wait(browser).until(lambda b: b.find_element(By.ID, "application").get_attribute("open") is None)


def sign_out(browser: WebDriver) -> None:
    click(browser, browser.find_element(By.ID, "logout"))
    wait(browser).until(lambda b: path_of(b) == "/index.html")


def register_and_apply_through_api(server_url, level="中级", certificate="初级"):
    """A candidate registered and applied outside the browser; returns (candidate, application)."""
    candidate = new_candidate()
    status, body = api_status_call(server_url, "/api/v1/register", body={
        "username": candidate["username"], "password": candidate["password"], "name": candidate["name"],
        "idType": "resident_id", "idNumber": candidate["idNumber"],
    })
    assert status == 201, body
    token = login_token(server_url, candidate)
    status, commitment = api_status_call(server_url, "/api/v1/commitment")
    assert status == 200, commitment
    form = {
        "occupation": AI, "level": level, "direction": PLATFORM, "education": "本科", "relevantMajor": True,
        "certificate": certificate, "certificateObtained": years_ago(5), "yearsInOccupation": 5,
        "technicalSchoolGraduate": False, "trainingHours": 200,
    }
    status, body = api_status_call(server_url, "/api/v1/applications", token, {
        "form": form, "commitmentSHA256": commitment["sha256"], "accepted": True,
    })
    assert status == 201, body
    return candidate, body["application"]


# ---------------------------------------------------------------- tests


def test_candidate_registers_applies_and_the_exam_admin_decides(driver, server_url, demo_accounts):
    candidate = new_candidate()
    hours_intermediate = training_hours(server_url, demo_accounts, "中级")
    hours_senior = training_hours(server_url, demo_accounts, "高级")

    # ---- registration, from the login page
    open_login(driver, server_url)
    link = driver.find_element(By.ID, "register-link")
    assert link.text.strip() == "考生注册"
    link.click()
    wait(driver).until(lambda b: path_of(b) == "/register.html")
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))
    assert Select(driver.find_element(By.ID, "reg-idtype")).first_selected_option.text == "居民身份证"
    assert not driver.find_element(By.ID, "reg-gender-group").is_displayed(), "a resident ID number gives the gender"
    assert not driver.find_element(By.ID, "reg-birth").is_displayed(), "…and the birth date"

    # Mismatched passwords are caught before anything is sent.
    type_into(driver, "reg-username", candidate["username"])
    type_into(driver, "reg-password", PASSWORD)
    type_into(driver, "reg-confirm", PASSWORD + "x")
    type_into(driver, "reg-name", candidate["name"])
    type_into(driver, "reg-idnumber", wrong_check(candidate["idNumber"]))
    click(driver, driver.find_element(By.ID, "register-submit"))
    confirm_error = wait(driver).until(EC.visibility_of_element_located((By.ID, "reg-confirm-error")))
    assert "两次输入的密码不一致" in confirm_error.text
    assert active_id(driver) == "reg-confirm"

    # The derived hint follows the number as it is typed.
    derived = driver.find_element(By.ID, "reg-derived").text
    assert candidate["birthDate"] in derived and candidate["gender"] in derived

    # A wrong check character is refused by the server, with its message, beside the number.
    type_into(driver, "reg-confirm", PASSWORD)
    click(driver, driver.find_element(By.ID, "register-submit"))
    number_error = wait(driver).until(EC.visibility_of_element_located((By.ID, "reg-idnumber-error")))
    assert "校验码应为" in number_error.text, number_error.text
    assert f"应为{candidate['idNumber'][17]}" in number_error.text
    assert driver.find_element(By.ID, "reg-idnumber").get_attribute("aria-invalid") == "true"
    assert active_id(driver) == "reg-idnumber"
    assert driver.find_element(By.ID, "register-error").get_attribute("data-code") == "invalid_id_number"
    assert path_of(driver) == "/register.html"
    # What was typed is kept.
    assert driver.find_element(By.ID, "reg-username").get_attribute("value") == candidate["username"]
    assert driver.find_element(By.ID, "reg-name").get_attribute("value") == candidate["name"]
    assert driver.find_element(By.ID, "reg-password").get_attribute("value") == PASSWORD
    save_screenshot(driver, "register-error")

    # Corrected: registered, signed in, and on the application page.
    type_into(driver, "reg-idnumber", candidate["idNumber"])
    assert driver.find_element(By.ID, "reg-idnumber").get_attribute("aria-invalid") != "true"
    click(driver, driver.find_element(By.ID, "register-submit"))
    wait(driver).until(lambda b: path_of(b) == "/apply.html")
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))
    assert driver.find_element(By.ID, "current-user").text.strip() == candidate["name"]
    assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-role") == "candidate"
    wait(driver).until(EC.visibility_of_element_located((By.ID, "mine-empty")))

    # ---- the commitment is shown in full and must be accepted
    box = driver.find_element(By.ID, "commitment-box")
    wait(driver).until(lambda b: b.find_elements(By.ID, "commitment-sha"))
    status, commitment = api_status_call(server_url, "/api/v1/commitment")
    assert status == 200
    assert driver.find_element(By.ID, "commitment-sha").text.strip() == commitment["sha256"]
    for line in commitment["text"].splitlines():
        if line.strip():
            assert line.strip().lstrip("# ") in box.text, line
    assert box.get_attribute("tabindex") == "0", "the text can be scrolled with the keyboard"

    # ---- 中级 under clause 中级-2: 本科 + 初级 certificate over 3 years ago + enough training
    fill_application(driver, "中级", education="本科", certificate="初级", certificate_date=years_ago(4),
                     hours=hours_intermediate, years=5)
    hint = driver.find_element(By.ID, "apply-hours-hint")
    wait(driver).until(lambda b: str(hours_intermediate) in hint.text)
    assert "中级须培训满" in hint.text

    # Without ticking the commitment nothing is sent.
    set_checked(driver, "apply-accept", False)
    submit_application(driver)
    accept_error = wait(driver).until(EC.visibility_of_element_located((By.ID, "apply-accept-error")))
    assert "本人已阅读并承诺" in accept_error.text
    assert active_id(driver) == "apply-accept"
    assert driver.find_element(By.ID, "apply-error").get_attribute("data-code") == "client"
    assert not driver.find_element(By.ID, "apply-result").is_displayed()
    assert my_applications(driver) == []

    set_checked(driver, "apply-accept", True)
    submit_application(driver)
    result = wait_for_result(driver)
    verdict = driver.find_element(By.ID, "apply-result-verdict")
    assert verdict.get_attribute("data-eligible") == "true"
    assert "符合申报条件（中级-2）" in verdict.text
    assert "符合中级申报条件 中级-2" in verdict.text, "the engine's explanation as it wrote it"
    assert active_id(driver) == "apply-result"
    assert not driver.find_element(By.ID, "apply-accept").is_selected(), "the next application needs a new acceptance"
    mine = my_applications(driver)
    assert len(mine) == 1 and mine[0]["form"]["level"] == "中级"
    intermediate_id = mine[0]["id"]
    assert intermediate_id in result.text
    assert mine[0]["commitmentSHA256"] == commitment["sha256"]
    card = card_of(driver, intermediate_id)
    assert card.get_attribute("data-status") == "submitted" and "审核中" in card.text
    assert card.find_elements(By.CSS_SELECTOR, '[data-action="withdraw"]'), "a submitted one can be withdrawn"

    # The explanation in English.
    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: "meets 中级 clause 中级-2" in b.find_element(By.ID, "apply-result-verdict").text)
    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: "符合中级申报条件" in b.find_element(By.ID, "apply-result-verdict").text)

    # ---- 高级 without a 中级 certificate: submitted, but the engine says why not
    fill_application(driver, "高级", education="本科", certificate=None, hours=hours_senior, years=5)
    set_checked(driver, "apply-accept", True)
    submit_application(driver)
    result = wait_for_result(driver, previous_id=intermediate_id)
    verdict = driver.find_element(By.ID, "apply-result-verdict")
    assert verdict.get_attribute("data-eligible") == "false"
    assert "不符合任何一项申报条件" in verdict.text
    assert "不符合高级任何一项申报条件" in verdict.text
    assert "取得本职业中级证书（无证书）" in verdict.text
    mine = my_applications(driver)
    senior_id = next(application["id"] for application in mine if application["form"]["level"] == "高级")
    assert senior_id in result.text
    card_of(driver, senior_id)
    save_screenshot(driver, "apply-result")

    # ---- the exam administrator's queue
    sign_out(driver)
    login(driver, server_url, account_for(demo_accounts, "exam_admin"))
    open_queue_from_home(driver)
    assert Select(driver.find_element(By.ID, "filter-status")).first_selected_option.get_attribute("value") == "submitted"
    assert not driver.find_element(By.ID, "readonly-note").is_displayed()
    choose_filter(driver, "filter-occupation", AI)
    row = queue_row(driver, senior_id)
    headers = [cell.text.strip() for cell in driver.find_elements(By.CSS_SELECTOR, "#queue-table thead th")]
    assert headers == ["考生", "证件", "职业 / 等级 / 方向", "系统判定", "提交时间", "状态"]
    assert candidate["name"] in row.text and candidate["idNumber"] in row.text, "the administrator sees the full number"
    assert "居民身份证" in row.text and "高级" in row.text and PLATFORM in row.text
    assert "不符合" in row.text and "审核中" in row.text
    intermediate_row = queue_row(driver, intermediate_id)
    assert "符合 中级-2" in intermediate_row.text
    save_screenshot(driver, "applications-queue")

    # The 高级 one in detail: every field in words, the explanation, the commitment record.
    open_application(driver, senior_id)
    sheet = driver.find_element(By.ID, "application")
    assert driver.find_element(By.ID, "application-title").text.strip() == candidate["name"]
    assert driver.find_element(By.ID, "detail-idnumber").text.strip() == candidate["idNumber"]
    form_block = driver.find_element(By.ID, "detail-form").text
    for words in ("人工智能工程技术人员", "高级", PLATFORM, "本科", "计算机科学与技术", "本职业证书\n无", "相关专业\n是",
                  "5 年", f"{hours_senior} 学时", "示例科技有限公司"):
        assert words in form_block, words
    assert "不符合高级任何一项申报条件" in driver.find_element(By.ID, "detail-explanation").text
    assert driver.find_element(By.ID, "detail-sha").text.strip() == commitment["sha256"]
    commitment_block = driver.find_element(By.ID, "detail-commitment").text
    assert "127.0.0.1" in commitment_block and "确认时间" in commitment_block
    # The rule is on show: this one needs the grounds even to approve.
    assert "如仍予通过，须在下方写明依据" in driver.find_element(By.ID, "decision-rule").text
    assert "不予通过须填写理由" in driver.find_element(By.ID, "decision-rule").text

    # Rejecting without a reason is refused by the server, and the page says so.
    click(driver, driver.find_element(By.ID, "decision-reject"))
    reason_error = wait(driver).until(EC.visibility_of_element_located((By.ID, "decision-reason-error")))
    assert "须填写理由" in reason_error.text
    assert driver.find_element(By.ID, "application-message").get_attribute("data-code") == "reason_required"
    assert driver.find_element(By.ID, "decision-reason").get_attribute("aria-invalid") == "true"
    assert active_id(driver) == "decision-reason"
    assert driver.find_element(By.ID, "application-status").get_attribute("data-status") == "submitted"

    reason = "未取得本职业中级专业技术等级证书，且培训学时不足。"
    driver.find_element(By.ID, "decision-reason").send_keys(reason)
    click(driver, driver.find_element(By.ID, "decision-reject"))
    wait(driver).until(lambda b: b.find_element(By.ID, "application-message").get_attribute("data-code") == "rejected")
    assert "考生将看到" in driver.find_element(By.ID, "application-message").text
    assert driver.find_element(By.ID, "application-status").get_attribute("data-status") == "rejected"
    assert reason in driver.find_element(By.ID, "detail-reason").text
    assert not driver.find_elements(By.ID, "decision-reject") and not driver.find_elements(By.ID, "decision-approve")
    assert sheet.get_attribute("data-status") == "rejected"
    close_application(driver)
    wait(driver).until(lambda b: not b.find_elements(By.CSS_SELECTOR, f'#queue-table tbody tr[data-id="{senior_id}"]'))

    # The 中级 one: eligible, approved without a note.
    open_application(driver, intermediate_id)
    assert "系统判定符合申报条件" in driver.find_element(By.ID, "decision-rule").text
    click(driver, driver.find_element(By.ID, "decision-approve"))
    wait(driver).until(lambda b: b.find_element(By.ID, "application-message").get_attribute("data-code") == "approved")
    assert driver.find_element(By.ID, "application-status").get_attribute("data-status") == "approved"
    close_application(driver)

    # Both are listed under their new statuses.
    choose_filter(driver, "filter-status", "")
    assert "未通过" in queue_row(driver, senior_id).text
    assert "已通过" in queue_row(driver, intermediate_id).text

    # ---- the candidate sees the decisions
    sign_out(driver)
    login(driver, server_url, candidate)
    card = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="apply"]')))
    assert "我的申报" in card.text
    card.click()
    wait(driver).until(lambda b: path_of(b) == "/apply.html")
    rejected = card_of(driver, senior_id)
    assert rejected.get_attribute("data-status") == "rejected"
    assert "未通过" in rejected.text
    reason_box = rejected.find_element(By.CSS_SELECTOR, ".app-reason.is-rejected")
    assert "未通过原因" in reason_box.text and reason in reason_box.text
    assert not rejected.find_elements(By.CSS_SELECTOR, '[data-action="withdraw"]')
    approved = card_of(driver, intermediate_id)
    assert approved.get_attribute("data-status") == "approved" and "已通过" in approved.text
    assert "符合申报条件（中级-2）" in approved.text


def test_candidate_withdraws_a_submitted_application(driver, server_url):
    candidate, application = register_and_apply_through_api(server_url)
    login(driver, server_url, candidate)
    driver.get(f"{server_url}/apply.html")
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))
    card = card_of(driver, application["id"])
    click(driver, card.find_element(By.CSS_SELECTOR, '[data-action="withdraw"]'))
    confirm = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-action="withdraw-confirm"]')))
    assert "确定撤回" in card_of(driver, application["id"]).text
    click(driver, confirm)
    withdrawn = f'#mine-list li.app-card[data-id="{application["id"]}"][data-status="withdrawn"]'
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, withdrawn)))
    wait(driver).until(lambda b: "已撤回" in b.find_element(By.CSS_SELECTOR, withdrawn).text)
    assert "已撤回申报" in driver.find_element(By.ID, "mine-message").text


def test_supervisor_reads_the_queue_masked_and_cannot_decide(driver, server_url, demo_accounts):
    candidate, application = register_and_apply_through_api(server_url)
    login(driver, server_url, account_for(demo_accounts, "supervisor"))
    open_queue_from_home(driver)
    assert driver.find_element(By.ID, "readonly-note").is_displayed()
    row = queue_row(driver, application["id"])
    shown = row.find_element(By.CSS_SELECTOR, ".app-idnumber").text.strip()
    number = candidate["idNumber"]
    assert candidate["idNumber"] not in row.text
    assert shown == number[:4] + "*" * (len(number) - 7) + number[-3:], shown

    open_application(driver, application["id"])
    assert driver.find_element(By.ID, "detail-idnumber").text.strip() == shown
    assert not driver.find_elements(By.ID, "decision-approve")
    assert not driver.find_elements(By.ID, "decision-reject")
    assert not driver.find_elements(By.ID, "decision-reason")
    assert "不能审核" in driver.find_element(By.ID, "decision-none").text
    close_application(driver)
    assert driver.execute_script("return document.activeElement.dataset.id") == application["id"], "focus back on the row"


def test_apply_and_review_pages_keep_to_their_roles(driver, server_url, demo_accounts):
    login(driver, server_url, account_for(demo_accounts, "examiner"))
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#workbench .work-card")))
    assert not driver.find_elements(By.CSS_SELECTOR, '#workbench a.work-card[data-work="registrationReview"]')
    assert not driver.find_elements(By.CSS_SELECTOR, '#workbench a.work-card[data-work="apply"]')
    for page in ("/apply.html", "/applications.html"):
        driver.get(server_url + page)
        wait(driver).until(EC.visibility_of_element_located((By.ID, "access-denied")))
        assert not driver.find_element(By.ID, "content").is_displayed()
