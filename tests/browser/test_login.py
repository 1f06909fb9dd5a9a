"""Browser tests of the web client shell: login, the role-aware home page, logout, language.

Runs headless Debian Chromium through chromedriver (both from apt). The fixtures `server_url`
(a running server with demo data, e.g. "http://127.0.0.1:PORT") and `demo_accounts` (one
{"username", "password", "role"} per role) come from the conftest.

Set ASSAY_SCREENSHOTS to a folder to keep screenshots of the login page and the body
administrator's home page.
"""

import json
import os
import pathlib
import shutil
from urllib.parse import urlparse

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROLE_NAMES_ZH = {
    "body_admin": "机构管理员",
    "exam_admin": "考务管理员",
    "item_author": "命题专家",
    "bank_custodian": "题库管理员",
    "examiner": "考评员",
    "supervisor": "质量督导员",
    "candidate": "考生",
}
AI_OCCUPATION = "人工智能工程技术人员"
TIMEOUT = 20


# ---------------------------------------------------------------- driver and helpers


def make_driver() -> WebDriver:
    chromium = shutil.which("chromium")
    chromedriver = shutil.which("chromedriver")
    assert chromium, "chromium is not installed (apt-get install chromium)"
    assert chromedriver, "chromedriver is not installed (apt-get install chromium-driver)"
    # Selenium Manager must not try to download a browser or driver: nothing outside is reachable.
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(chromedriver), options=options)


@pytest.fixture
def driver():
    """A fresh browser per test: no cookies, no localStorage (so Chinese by default)."""
    browser = make_driver()
    browser.set_script_timeout(TIMEOUT)
    try:
        yield browser
    finally:
        browser.quit()


def wait(browser: WebDriver, timeout: float = TIMEOUT) -> WebDriverWait:
    # A page may re-render a list while a condition reads it: a stale element is retried, not fatal.
    return WebDriverWait(browser, timeout, ignored_exceptions=(StaleElementReferenceException,))


def path_of(browser: WebDriver) -> str:
    return urlparse(browser.current_url).path


def account_for(demo_accounts, role):
    for account in demo_accounts:
        if account["role"] == role:
            return account
    pytest.fail(f"no demo account with role {role!r} in {[a['role'] for a in demo_accounts]}")


def open_login(browser: WebDriver, server_url: str) -> None:
    browser.get(f"{server_url}/index.html")
    # login.js marks the page ready once the form handler is attached; typing earlier would let
    # the browser submit the form itself.
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))


def submit_login(browser: WebDriver, username: str, password: str) -> None:
    field = browser.find_element(By.ID, "username")
    field.clear()
    field.send_keys(username)
    secret = browser.find_element(By.ID, "password")
    secret.clear()
    secret.send_keys(password)
    browser.find_element(By.ID, "login-submit").click()


def login(browser: WebDriver, server_url: str, account) -> None:
    open_login(browser, server_url)
    submit_login(browser, account["username"], account["password"])
    wait(browser).until(lambda b: path_of(b) == "/home.html")
    wait(browser).until(lambda b: b.find_element(By.ID, "current-user").get_attribute("textContent").strip())


def wait_for_standards(browser: WebDriver) -> None:
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#standards-list .std-card")))


def fetch_json(browser: WebDriver, path: str):
    """GETs `path` from inside the page (same origin, with the session cookie)."""
    result = browser.execute_async_script(
        """
        const [path, done] = arguments;
        fetch(path, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
          .then(async (r) => done(JSON.stringify({status: r.status, body: await r.text()})))
          .catch((e) => done(JSON.stringify({status: 0, body: String(e)})));
        """,
        path,
    )
    response = json.loads(result)
    assert response["status"] == 200, f"GET {path} → {response}"
    return json.loads(response["body"])


def save_screenshot(browser: WebDriver, name: str) -> None:
    folder = os.environ.get("ASSAY_SCREENSHOTS")
    if not folder:
        return
    directory = pathlib.Path(folder)
    directory.mkdir(parents=True, exist_ok=True)
    size = browser.get_window_size()
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(size["width"], max(size["height"], int(height) + 140))
    try:
        browser.save_screenshot(str(directory / f"{name}.png"))
    finally:
        browser.set_window_size(size["width"], size["height"])


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("index", range(7))
def test_each_role_signs_in_sees_home_and_signs_out(driver, server_url, demo_accounts, index):
    assert len(demo_accounts) >= 7, f"expected seven demo accounts, got {len(demo_accounts)}"
    account = demo_accounts[index]
    role = account["role"]
    assert role in ROLE_NAMES_ZH, f"unknown role {role!r}"

    login(driver, server_url, account)

    me = fetch_json(driver, "/api/v1/me")["user"]
    shown = driver.find_element(By.ID, "current-user").get_attribute("textContent").strip()
    assert shown == (me.get("displayName") or me["username"])
    assert me["username"].lower() == account["username"].strip().lower()

    assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-role") == role
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    badges = [badge.get_attribute("textContent").strip() for badge in driver.find_elements(By.CLASS_NAME, "role-badge")]
    assert ROLE_NAMES_ZH[role] in badges

    # Work areas not built yet are marked and are not links.
    for card in driver.find_elements(By.CSS_SELECTOR, "#workbench .work-card.is-soon"):
        assert card.tag_name != "a"
        assert "建设中" in card.text

    wait_for_standards(driver)
    standards = driver.find_element(By.ID, "standards-section")
    assert "职业标准" in standards.text
    assert AI_OCCUPATION in standards.text

    # The session token lives only in the HttpOnly cookie.
    assert "assay_session" not in driver.execute_script("return document.cookie")
    stored = driver.execute_script("return Object.keys(window.localStorage).concat(Object.keys(window.sessionStorage))")
    assert set(stored) <= {"assay.lang"}, stored

    driver.find_element(By.ID, "logout").click()
    wait(driver).until(lambda b: path_of(b) == "/index.html")
    wait(driver).until(EC.visibility_of_element_located((By.ID, "login-submit")))

    driver.get(f"{server_url}/home.html")
    wait(driver).until(lambda b: path_of(b) == "/index.html")
    wait(driver).until(EC.visibility_of_element_located((By.ID, "login-submit")))


def test_wrong_password_shows_error_and_stays(driver, server_url, demo_accounts):
    account = account_for(demo_accounts, "candidate")
    open_login(driver, server_url)
    save_screenshot(driver, "login")

    submit_login(driver, account["username"], account["password"] + "-wrong")
    error = driver.find_element(By.ID, "login-error")
    wait(driver).until(lambda b: error.text.strip())
    assert "用户名或密码错误" in error.text
    assert path_of(driver) == "/index.html"
    assert driver.find_element(By.ID, "password").get_attribute("aria-invalid") == "true"
    assert driver.find_element(By.ID, "password").get_attribute("value") == ""
    assert not driver.find_elements(By.ID, "logout")

    # An empty form is refused before anything is sent.
    driver.find_element(By.ID, "username").clear()
    driver.find_element(By.ID, "login-submit").click()
    wait(driver).until(lambda b: "请输入用户名" in error.text)
    assert path_of(driver) == "/index.html"


def test_english_switch_changes_text_and_persists(driver, server_url):
    open_login(driver, server_url)
    submit = driver.find_element(By.ID, "login-submit")
    toggle = driver.find_element(By.ID, "lang-toggle")
    assert submit.text.strip() == "登录"
    assert toggle.text.strip() == "English"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"

    toggle.click()
    wait(driver).until(lambda b: b.find_element(By.ID, "login-submit").text.strip() == "Sign in")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert driver.find_element(By.ID, "lang-toggle").text.strip() == "中文"
    assert driver.execute_script("return localStorage.getItem('assay.lang')") == "en"

    driver.refresh()
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))
    wait(driver).until(lambda b: b.find_element(By.ID, "login-submit").text.strip() == "Sign in")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert driver.find_element(By.CSS_SELECTOR, "label[for=username]").text.strip() == "Username"

    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: b.find_element(By.ID, "login-submit").text.strip() == "登录")
    assert driver.execute_script("return localStorage.getItem('assay.lang')") == "zh-CN"


def test_body_admin_sees_accounts_and_intact_audit_chain(driver, server_url, demo_accounts):
    login(driver, server_url, account_for(demo_accounts, "body_admin"))

    table = wait(driver).until(EC.visibility_of_element_located((By.ID, "users-table")))
    names = {cell.text.strip() for cell in table.find_elements(By.CSS_SELECTOR, "tbody td.cell-mono")}
    for account in demo_accounts:
        assert account["username"].strip().lower() in names
    headers = [cell.text.strip() for cell in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers[:2] == ["姓名", "用户名"]

    status = wait(driver).until(EC.visibility_of_element_located((By.ID, "audit-status")))
    assert status.get_attribute("data-ok") == "true"
    assert "审计链完整" in status.text

    wait_for_standards(driver)
    save_screenshot(driver, "home-body-admin")

    # The same page in English.
    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: "Audit chain intact" in b.find_element(By.ID, "audit-status").text)
    assert "Body administrator" in [b.text.strip() for b in driver.find_elements(By.CLASS_NAME, "role-badge")]
    assert driver.find_element(By.ID, "logout").text.strip() == "Sign out"


def test_candidate_sees_no_accounts_or_audit(driver, server_url, demo_accounts):
    login(driver, server_url, account_for(demo_accounts, "candidate"))
    wait_for_standards(driver)
    assert not driver.find_elements(By.ID, "users-table")
    assert not driver.find_element(By.ID, "users-section").is_displayed()
    assert not driver.find_element(By.ID, "audit-section").is_displayed()
    # Applying, the admission ticket and the results are built for candidates; the rest are marked 建设中.
    linked = driver.find_elements(By.CSS_SELECTOR, "#workbench a.work-card")
    assert [card.get_attribute("data-work") for card in linked] == ["apply", "admissionTicket", "myResults"]
    titles = driver.find_element(By.ID, "workbench").text
    for area in ("报名", "准考证", "参加考试", "我的成绩"):
        assert area in titles


def test_supervisor_sees_audit_but_not_accounts(driver, server_url, demo_accounts):
    login(driver, server_url, account_for(demo_accounts, "supervisor"))
    status = wait(driver).until(EC.visibility_of_element_located((By.ID, "audit-status")))
    assert status.get_attribute("data-ok") == "true"
    assert not driver.find_elements(By.ID, "users-table")
    assert not driver.find_element(By.ID, "users-section").is_displayed()
