"""End to end with a real browser: headless Chromium driven by Selenium goes through the
sandbox's sign-in pages to the tester's loopback listener, as a user's browser does.

Skips where Chromium, chromedriver or Selenium is missing, except in CI (CI=true), where a
missing piece fails the test (as ETT_REQUIRE_KEYCHAIN does for the keychain tests)."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from core.sandbox import Sandbox
from core.sandbox import directory as d
from core.signin import AuthCodeOptions, endpoints_for, run_auth_code, run_device_code
from core.token.models import TokenRequestInput
from core.token.result import Outcome

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
DRIVER = ("/usr/bin/chromedriver",)
ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage")  # fmt: skip
WAIT_S = 20


def _found(paths: tuple[str, ...], name: str) -> str:
    return next((p for p in paths if os.path.exists(p)), "") or (shutil.which(name) or "")


def _missing() -> str:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package (uv sync)"
    if not _found(CHROMIUM, "chromium"):
        return "Chromium (apt-get install chromium)"
    if not _found(DRIVER, "chromedriver"):
        return "chromedriver (apt-get install chromium-driver)"
    return ""


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the real-browser tests cannot run: needs {missing}")
        pytest.skip(f"needs {missing}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="ett-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = _found(CHROMIUM, "chromium")
    for arg in (*ARGS, f"--user-data-dir={profile}"):
        options.add_argument(arg)
    service = Service(executable_path=_found(DRIVER, "chromedriver"))
    browser = webdriver.Chrome(service=service, options=options)
    browser.set_page_load_timeout(WAIT_S)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def _inputs(sb: Sandbox) -> TokenRequestInput:
    return TokenRequestInput(cloud="sandbox", authority=sb.base_url, tenant=d.CONTOSO.domain,
                             client_id=d.DESKTOP.client_id, scope="User.Read")  # fmt: skip


def _sign_in(browser: Any, user: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, WAIT_S)
    wait.until(ec.presence_of_element_located((By.ID, "i0116"))).send_keys(user)
    browser.find_element(By.ID, "i0118").send_keys(d.PASSWORD)
    browser.find_element(By.ID, "idSIButton9").click()


def test_browser_sign_in_reaches_the_listener(driver: Any, sandbox: Sandbox) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    def open_url(url: str) -> None:  # what the system browser does, on the flow's thread
        driver.get(url)
        _sign_in(driver, f"alex@{d.CONTOSO.domain}")

    done = run_auth_code(_inputs(sandbox), endpoints_for(_inputs(sandbox)),
                         AuthCodeOptions(redirect_host="localhost", timeout_s=WAIT_S),
                         open_url=open_url)  # fmt: skip
    assert done.result.outcome is Outcome.TOKEN, done.result
    WebDriverWait(driver, WAIT_S).until(ec.presence_of_element_located((By.TAG_NAME, "h1")))
    assert "You can close this tab" in driver.find_element(By.TAG_NAME, "body").text
    assert driver.current_url.startswith("http://localhost:")


def test_device_code_sign_in_in_the_browser(driver: Any, sandbox: Sandbox) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    errors: list[BaseException] = []

    def user_at_the_browser(code: Any) -> None:
        try:
            driver.get(code.verification_uri)
            box = WebDriverWait(driver, WAIT_S).until(
                ec.presence_of_element_located((By.ID, "otc"))
            )
            box.send_keys(code.user_code)
            driver.find_element(By.ID, "idSIButton9").click()
            _sign_in(driver, f"alex@{d.CONTOSO.domain}")
        except BaseException as exc:  # shown by the test below
            errors.append(exc)

    def on_code(code: Any) -> None:
        threading.Thread(target=user_at_the_browser, args=(code,), daemon=True).start()

    done = run_device_code(_inputs(sandbox), endpoints_for(_inputs(sandbox)), timeout_s=WAIT_S,
                           on_code=on_code)  # fmt: skip
    assert not errors and done.result.outcome is Outcome.TOKEN, (errors, done.result)
    WebDriverWait(driver, WAIT_S).until(
        ec.text_to_be_present_in_element((By.TAG_NAME, "body"), "close this window")
    )
