"""A browser for tests, made of plain HTTP requests: it opens an authorize URL, fills the
sandbox's sign-in form (and consent page), follows the redirect back to the loopback listener,
and records every page it saw. Also drives the device code verification page."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin

import requests

_INPUT = re.compile(r"<input[^>]*>", re.I)
_ATTR = re.compile(r"(\w+)='([^']*)'")
_FORM = re.compile(r"<form[^>]*action='([^']*)'", re.I)
_LINK = re.compile(r"<a id='continue' href='([^']*)'")


def _attrs(tag: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR.findall(tag)}


def hidden_fields(page: str) -> dict[str, str]:
    out = {}
    for tag in _INPUT.findall(page):
        a = _attrs(tag)
        if a.get("type") == "hidden":
            out[a["name"]] = a.get("value", "")
    return out


@dataclass
class PageBrowser:
    """Sign in as `user` with `password`; `consent` is 'accept' or 'decline'; with `follow_error`
    the MFA page's Continue link is followed back to the app. `before_get` sees (and may
    change) every address before it is opened: a tampered authorize URL, or a code taken from
    the redirect before the app gets it."""

    user: str = ""
    password: str = ""
    consent: str = "accept"
    follow_error: bool = True
    pages: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    final_status: int | None = None
    before_get: Callable[[str], str] | None = None

    def __post_init__(self) -> None:
        self.session = requests.Session()
        self.session.trust_env = False  # never a proxy, never .netrc

    def _get(self, url: str) -> requests.Response:
        if self.before_get is not None:
            url = self.before_get(url)
        self.urls.append(url)
        answer = self.session.get(url, allow_redirects=False, timeout=10)
        self.pages.append(answer.text)
        return answer

    def _post(self, url: str, form: dict[str, str]) -> requests.Response:
        answer = self.session.post(url, data=form, allow_redirects=False, timeout=10)
        self.pages.append(answer.text)
        return answer

    def _follow(self, base: str, answer: requests.Response) -> None:
        """Follow redirects (to the loopback listener in the end) and fill the forms."""
        for _ in range(10):
            if answer.status_code in (301, 302, 303):
                base = urljoin(base, answer.headers["Location"])
                answer = self._get(base)
                continue
            page = answer.text
            action = _FORM.search(page)
            if "id='i0118'" in page and self.user and "usernameError" not in page:
                answer = self._post(
                    urljoin(base, html.unescape(action.group(1)) if action else ""),
                    {**hidden_fields(page), "login": self.user, "passwd": self.password},
                )
                continue
            if "idBtn_Accept" in page:
                answer = self._post(
                    urljoin(base, html.unescape(action.group(1)) if action else ""),
                    {**hidden_fields(page), "consent": self.consent},
                )
                continue
            link = _LINK.search(page)
            if link and self.follow_error:
                base = html.unescape(link.group(1))
                answer = self._get(base)
                continue
            break
        self.final_status = answer.status_code

    def open(self, url: str) -> None:
        """What a system browser does with the authorize URL (the opener tests inject)."""
        self._follow(url, self._get(url))

    def device_sign_in(self, verification_uri: str, user_code: str) -> None:
        """Open the verification page, type the code, sign in, consent."""
        self._get(verification_uri)
        self._follow(verification_uri, self._post(verification_uri, {"otc": user_code}))

    @property
    def last_page(self) -> str:
        return self.pages[-1] if self.pages else ""
