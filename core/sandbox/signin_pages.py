"""The sandbox's sign-in pages: plain HTML forms a browser (or a test posting forms) fills in.
Field and button ids follow Entra's own pages (i0116 user name, i0118 password, idSIButton9
next, idBtn_Accept / idBtn_Back on the consent page, otc for the device code)."""

from __future__ import annotations

import html

STYLE = (
    "body{font-family:Segoe UI,Arial,sans-serif;background:#f2f2f2;margin:0}"
    "main{max-width:440px;margin:60px auto;background:#fff;padding:44px;"
    "box-shadow:0 2px 6px rgba(0,0,0,.2)}h1{font-size:24px;font-weight:600}"
    "input[type=text],input[type=password],input[type=email]{width:100%;padding:6px 0;"
    "border:0;border-bottom:1px solid #666;font-size:15px;margin:8px 0 16px}"
    "button{background:#0067b8;color:#fff;border:0;padding:8px 24px;font-size:15px;"
    "margin-right:8px}button.secondary{background:#ccc;color:#000}"
    ".error{color:#e81123}.code{font-family:monospace;color:#666;font-size:13px}"
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def page(title: str, body: str) -> bytes:
    doc = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body><main>"
        f"<div>Sandbox identity provider</div><h1>{_e(title)}</h1>{body}</main></body></html>"
    )
    return doc.encode("utf-8")


def _hidden(fields: dict[str, str]) -> str:
    return "".join(
        f"<input type='hidden' name='{_e(k)}' value='{_e(v)}'>" for k, v in fields.items()
    )


def sign_in_page(action: str, hidden: dict[str, str], app_name: str, login: str = "",
                 error: str = "") -> bytes:  # fmt: skip
    problem = f"<p id='usernameError' class='error'>{_e(error)}</p>" if error else ""
    body = (
        f"<p>to continue to {_e(app_name)}</p>{problem}"
        f"<form method='post' action='{_e(action)}'>{_hidden(hidden)}"
        "<label for='i0116'>Email, phone, or Skype</label>"
        f"<input type='email' id='i0116' name='login' value='{_e(login)}' autocomplete='off'>"
        "<label for='i0118'>Password</label>"
        "<input type='password' id='i0118' name='passwd' autocomplete='off'>"
        "<button type='submit' id='idSIButton9'>Sign in</button></form>"
    )
    return page("Sign in", body)


def consent_page(action: str, hidden: dict[str, str], app_name: str, user: str,
                 permissions: tuple[str, ...]) -> bytes:  # fmt: skip
    items = "".join(f"<li>{_e(p)}</li>" for p in permissions)
    body = (
        f"<p>{_e(user)}</p><p><b>{_e(app_name)}</b> needs permission to:</p><ul>{items}</ul>"
        f"<form method='post' action='{_e(action)}'>{_hidden(hidden)}"
        "<button type='submit' id='idBtn_Accept' name='consent' value='accept'>Accept</button>"
        "<button type='submit' id='idBtn_Back' class='secondary' name='consent' "
        "value='decline'>Cancel</button></form>"
    )
    return page("Permissions requested", body)


def message_page(title: str, text: str, *, code: str = "", link: str = "",
                 link_text: str = "Continue") -> bytes:  # fmt: skip
    extra = f"<p class='code'>{_e(code)}</p>" if code else ""
    if link:
        extra += f"<p><a id='continue' href='{_e(link)}'>{_e(link_text)}</a></p>"
    return page(title, f"<p>{_e(text)}</p>{extra}")


def device_code_page(action: str, error: str = "") -> bytes:
    problem = f"<p class='error'>{_e(error)}</p>" if error else ""
    body = (
        f"<p>Enter the code displayed on your app or device.</p>{problem}"
        f"<form method='post' action='{_e(action)}'>"
        "<input type='text' id='otc' name='otc' autocomplete='off' placeholder='Code'>"
        "<button type='submit' id='idSIButton9'>Next</button></form>"
    )
    return page("Enter code", body)
