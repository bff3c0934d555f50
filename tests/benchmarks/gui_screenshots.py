"""Render the window's main states in the light and dark palettes to docs/*.png.

Run: uv run python tests/benchmarks/gui_screenshots.py [--out docs] [--sizes 1024x640 ...]
Without --sizes the pictures are at the default window size (as docs/ shows them); with it, each
state is rendered at every size given, named window-<palette>-<state>-<W>x<H>.png.
With --review (and --out elsewhere than docs) every state of gui_states.py is rendered instead:
the pictures to look through before calling a change to the window done.
The app draws itself (QWidget.grab) offscreen against the in-process sandbox, so the pictures
show real answers; secrets are masked in the window, and the sandbox's secrets are demo values.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from core.sandbox import Sandbox, scenarios  # noqa: E402
from core.store.profile import Profile  # noqa: E402
from core.store.profiles import ProfileStore  # noqa: E402
from core.store.secret_store import MemorySecretStore  # noqa: E402
from gui import theme  # noqa: E402
from gui.app import create_app  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.window_state import DEFAULT_SIZE  # noqa: E402
from tests.benchmarks import gui_states  # noqa: E402

SIZE = (DEFAULT_SIZE.width(), DEFAULT_SIZE.height())  # what a 1366 x 768 laptop shows
# (file suffix, scenario key or None for the empty form, tab to show after sending; None:
# do not send, show the window as it opens)
STATES = (
    ("start", "cc-v2-graph", None),
    ("token", "cc-v2-graph", "summary"),
    ("claims", "cc-v2-api", "claims"),
    ("warning", "no-admin-consent", "summary"),
    ("error", "secret-id", "diagnosis"),
    ("password", "password-mfa", "diagnosis"),
    ("blocked", None, "diagnosis"),
    ("certificate", "cert-rs256-pfx", "summary"),
    ("certificate-error", "cert-not-uploaded", "diagnosis"),
    ("federated", "federated-wrong-subject", "diagnosis"),
    ("pfx-password", "cert-pfx-wrong-password", "diagnosis"),
)

# Example profiles for the list (no secrets; the screenshots leave none selected).
PROFILES = (
    Profile(name="Contoso daemon (prod)", tenant="contoso.onmicrosoft.com"),
    Profile(name="Fabrikam orders API", tenant="fabrikam.example", scope="api://orders/.default"),
    Profile(name="Sandbox demo", cloud="sandbox", tenant="492a87ce-f03d-415a-bf2c-7b67c4e52753"),
)


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _send(window: MainWindow) -> None:
    loop = QEventLoop()
    window.worker.finished.connect(loop.quit)
    window.send()
    loop.exec()
    window.worker.finished.disconnect(loop.quit)


def render(out: Path, sizes: tuple[tuple[int, int] | None, ...] = (None,)) -> list[Path]:
    app = create_app([])
    saved = []
    by_key = {s.key: s for s in scenarios()}
    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as tmp:
        profiles = ProfileStore(Path(tmp) / "config")
        for profile in PROFILES:
            profiles.save(profile)
        for dark in (False, True):
            theme.apply_theme(app, dark)
            palette = "dark" if dark else "light"
            for (name, key, tab), size in ((s, z) for s in STATES for z in sizes):
                window = MainWindow(settings_path=Path(tmp) / f"{palette}-{name}.ini",
                                    config_dir=profiles.directory,
                                    secrets=MemorySecretStore(), sandbox=sandbox)  # fmt: skip
                window.resize(*(size or SIZE))
                window.show()
                if key is None:
                    window.form.tenant_edit.setText("contoso")
                    window.form.client_id_edit.setText("Contoso Daemon")
                    window.form.secret_edit.clear()
                else:
                    window.load_scenario(by_key[key])
                _wait(250)  # the form's pre-flight messages are debounced
                if tab is not None:
                    _send(window)
                    if tab == "claims":
                        window.response.claims.filter_edit.setText("")
                    view = window.response
                    view.tabs.setCurrentWidget(getattr(view, tab))
                _wait(100)
                suffix = f"-{size[0]}x{size[1]}" if size else ""
                path = out / f"window-{palette}-{name}{suffix}.png"
                window.grab().save(str(path))
                saved.append(path)
                window.close()
    return saved


# The check-all dialog: saved profiles of these scenarios, secrets remembered (one is not).
CHECKED = ("cc-v2-graph", "cc-v1-api", "cert-ps256", "secret-expiring", "password-ok",
           "secret-wrong", "secret-expired", "tenant-unknown", "cc-v2-api")  # fmt: skip
UNREMEMBERED = ("cc-v2-api",)


def render_check_all(out: Path, sizes: tuple[tuple[int, int] | None, ...] = (None,)) -> list[Path]:
    """File > Check all profiles after a run (credential expiry read), in both palettes."""
    import dataclasses

    from core.redaction import Secret
    from core.store.profile import from_input
    from core.store.secret_store import SecretKind, SecretRef
    from gui.form.form_data import input_from_strings

    app = create_app([])
    saved = []
    by_key = {s.key: s for s in scenarios()}
    kinds = {"client_secret": SecretKind.CLIENT_SECRET, "password": SecretKind.PASSWORD}
    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as tmp:
        profiles, secrets = ProfileStore(Path(tmp) / "config"), MemorySecretStore()
        for key in CHECKED:
            form = sandbox.scenario_form(by_key[key].form)
            inputs = input_from_strings(form, authority=sandbox.base_url)
            profile = profiles.save(
                dataclasses.replace(
                    from_input(inputs, by_key[key].title), remember_secret=key not in UNREMEMBERED
                )
            )
            for field, kind in kinds.items():
                if form.get(field) and key not in UNREMEMBERED:
                    secrets.set(SecretRef(profile.id, kind), Secret(form[field]))
        for dark in (False, True):
            theme.apply_theme(app, dark)
            palette = "dark" if dark else "light"
            for size in sizes:
                window = MainWindow(settings_path=Path(tmp) / f"{palette}-check.ini",
                                    config_dir=profiles.directory, secrets=secrets,
                                    sandbox=sandbox)  # fmt: skip
                window.resize(*(size or SIZE))
                window.show()
                window.checking.open()
                dialog = window.checking.dialog
                assert dialog is not None
                if size:
                    dialog.resize(
                        min(dialog.width(), size[0] - 40), min(dialog.height(), size[1] - 80)
                    )
                dialog.expiry_check.setChecked(True)
                loop = QEventLoop()
                window.checking.finished.connect(loop.quit)
                window.checking.start()
                loop.exec()
                dialog.table.setCurrentCell(5, 1)
                _wait(100)
                suffix = f"-{size[0]}x{size[1]}" if size else ""
                path = out / f"check-all-{palette}{suffix}.png"
                dialog.grab().save(str(path))
                saved.append(path)
                window.close()
    return saved


def render_review(out: Path, sizes: tuple[tuple[int, int] | None, ...],
                  only: list[str] | None = None) -> list[Path]:  # fmt: skip
    """Every state of gui_states.py, in both palettes, at every size given."""
    app = create_app([])
    saved = []
    states = {k: v for k, v in gui_states.STATES.items() if not only or k in only}
    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as tmp:
        profiles = ProfileStore(Path(tmp) / "config")
        for profile in PROFILES:
            profiles.save(profile)
        for dark in (False, True):
            theme.apply_theme(app, dark)
            palette = "dark" if dark else "light"
            for (name, state), size in ((s, z) for s in states.items() for z in sizes):
                clock = gui_states.Clock()
                window = MainWindow(settings_path=Path(tmp) / f"{palette}-{name}.ini",
                                    config_dir=profiles.directory, secrets=MemorySecretStore(),
                                    sandbox=None if name == "fresh" else sandbox,
                                    clock=clock)  # fmt: skip
                window.resize(*(size or SIZE))
                window.show()
                _wait(250)  # the form's pre-flight messages are debounced
                shown = state(gui_states.Stage(window, clock, sandbox))
                _wait(150)
                suffix = f"-{size[0]}x{size[1]}" if size else ""
                path = out / f"review-{palette}-{name}{suffix}.png"
                shown.grab().save(str(path))
                saved.append(path)
                if shown is not window:
                    shown.close()
                window.cancel()
                window.close()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument(
        "--only",
        nargs="*",
        default=None,
        help="state names to render (check-all: the Check all dialog)",
    )
    parser.add_argument("--sizes", nargs="*", default=None, help="window sizes, e.g. 1024x640")
    parser.add_argument("--review", action="store_true", help="every state (gui_states.py)")
    args = parser.parse_args()
    out = args.out
    if args.only:
        global STATES
        STATES = tuple(s for s in STATES if s[0] in args.only)
    out.mkdir(parents=True, exist_ok=True)
    sizes: tuple[tuple[int, int] | None, ...] = (None,)
    if args.sizes:
        sizes = tuple((int(w), int(h)) for w, h in (z.lower().split("x") for z in args.sizes))
    if args.review:
        paths = render_review(out, sizes, args.only)
    else:
        paths = render(out, sizes) if STATES else []
        if not args.only or "check-all" in args.only:
            paths += render_check_all(out, sizes)
    for path in paths:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
