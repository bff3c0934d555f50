"""File > Check all profiles: the options, the table filling in, Cancel, and the summary line."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.check.runner import DEFAULT_JOBS, MAX_JOBS, CheckSettings
from gui.check.table import CheckTable
from gui.form.wait_option import WAIT_LIMIT_S

DEFAULT_WARN_DAYS = 30
HINT = ("Every saved profile is sent once, with its secret from the keychain; unsaved edits in "
        "the form are not part of it. Each result also goes to the profile's history.")  # fmt: skip


class CheckAllDialog(QDialog):
    """The check-all window: it shows the run; the controller (gui/check/flow.py) runs it.

    A window of its own (not kept above the main window), so the result a row opens in the
    main window's answer pane can be read beside it. Closing it (Close, Esc, the title bar)
    cancels a run in progress.

    Signals:
        startRequested(): Check all was pressed.
        cancelRequested(): Cancel was pressed, or the dialog closed during a run.
        rowOpened(int): Enter or a double click on a finished row.
    """

    startRequested = Signal()
    cancelRequested = Signal()
    rowOpened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="checkAllDialog")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle("Check all profiles")
        self.running = False
        self._build_ui()
        self.resize(940, 520)

    def _build_ui(self) -> None:
        self.expiry_check = QCheckBox("Read each credential's &expiry from Microsoft Graph",
                                      objectName="checkExpiryCheck")  # fmt: skip
        self.expiry_check.setToolTip(
            "With the token just issued, read the app's own secrets and certificates from "
            "Microsoft Graph (app-only Graph tokens; no permission is needed). Certificates "
            "are dated from their file anyway."
        )
        self.warn_check = QCheckBox("&Warn when a credential expires within",
                                    objectName="checkWarnCheck", checked=True)  # fmt: skip
        self.warn_spin = QSpinBox(objectName="checkWarnDaysSpin", minimum=0, maximum=3650,
                                  value=DEFAULT_WARN_DAYS, suffix=" days")  # fmt: skip
        self.warn_spin.setAccessibleName("Warning days")
        self.strict_check = QCheckBox("and count it as &failed", objectName="checkStrictCheck")
        self.strict_check.setToolTip(
            "As `check --strict`: a credential ending within those days fails the run (a red "
            "row), instead of a warning"
        )
        self.warn_check.toggled.connect(self._on_warn_check_toggled)
        self.expiry_check.toggled.connect(self._on_expiry_check_toggled)
        self.wait_check = QCheckBox(
            f"Retry &new secrets while they replicate (up to {WAIT_LIMIT_S:.0f} s each)",
            objectName="checkWaitNewCheck",
        )
        self.wait_check.setToolTip(
            "A secret or certificate refused as unknown (AADSTS7000215, AADSTS700027) may be "
            "new: it is sent again, with growing waits, while Entra replicates it."
        )
        self.jobs_spin = QSpinBox(objectName="checkJobsSpin", minimum=1, maximum=MAX_JOBS,
                                  value=DEFAULT_JOBS)  # fmt: skip
        self.jobs_spin.setAccessibleName("Requests at once")
        self.jobs_spin.setToolTip("Requests sent at the same time (at most 4 to one tenant)")
        jobs_label = QLabel("Requests at &once:")
        jobs_label.setBuddy(self.jobs_spin)
        options = QGridLayout()
        options.addWidget(self.expiry_check, 0, 0, 1, 2)
        warn_row = QHBoxLayout()
        warn_row.addWidget(self.warn_check)
        warn_row.addWidget(self.warn_spin)
        warn_row.addWidget(self.strict_check)
        warn_row.addStretch(1)
        options.addLayout(warn_row, 0, 2)
        options.addWidget(self.wait_check, 1, 0, 1, 2)
        jobs_row = QHBoxLayout()
        jobs_row.addWidget(jobs_label)
        jobs_row.addWidget(self.jobs_spin)
        jobs_row.addStretch(1)
        options.addLayout(jobs_row, 1, 2)
        options.setColumnStretch(1, 1)
        hint = QLabel(HINT, wordWrap=True)
        hint.setProperty("role", "hint")
        self.table = CheckTable()
        self.table.activated.connect(self._on_table_activated)
        self.progress = QProgressBar(objectName="checkProgress", textVisible=False)
        self.progress.setAccessibleName("Check progress")
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.summary = QLabel("", objectName="checkSummary", wordWrap=True)
        self.summary.setAccessibleName("Check summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = self._button(
            "Co&py report",
            "checkCopyButton",
            "Copy one line per profile and the summary (no secret)",
        )
        self.save_button = self._button(
            "&Save report…", "checkSaveButton", "Save the results as JSON or JUnit XML (no secret)"
        )
        self.run_button = self._button("&Check all", "checkRunButton", "Check every saved "
                                       "profile now (Enter)")  # fmt: skip
        self.run_button.setDefault(True)
        self.close_button = self._button("C&lose", "checkCloseButton", "Close (Esc); a run in "
                                         "progress is cancelled")  # fmt: skip
        self.run_button.clicked.connect(self._on_run_button_clicked)
        self.close_button.clicked.connect(self.close)
        for button in (self.copy_button, self.save_button):
            button.setEnabled(False)
        status = QHBoxLayout()
        status.addWidget(self.progress)
        status.addWidget(self.summary, 1)
        buttons = QHBoxLayout()
        for button in (self.copy_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(status)
        layout.addLayout(buttons)

    @staticmethod
    def _button(text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text, objectName=name, autoDefault=False)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setToolTip(tip)
        return button

    def settings(self, deadline_s: float | None = None) -> CheckSettings:
        """The run's settings as the options say."""
        extra = {"deadline_s": deadline_s} if deadline_s is not None else {}
        return CheckSettings(
            jobs=self.jobs_spin.value(),
            warn_days=float(self.warn_spin.value()) if self.warn_check.isChecked() else None,
            strict=self.warn_check.isChecked() and self.strict_check.isChecked(),
            check_expiry=self.expiry_check.isChecked(),
            wait_new_s=WAIT_LIMIT_S if self.wait_check.isChecked() else None,
            **extra,
        )

    def options(self) -> dict[str, bool | int]:
        """The options as they stand (what the next window remembers; no secret among them)."""
        return {"expiry": self.expiry_check.isChecked(), "warn": self.warn_check.isChecked(),
                "warn_days": self.warn_spin.value(), "strict": self.strict_check.isChecked(),
                "wait_new": self.wait_check.isChecked(),
                "jobs": self.jobs_spin.value()}  # fmt: skip

    def set_options(self, options: dict[str, bool | int]) -> None:
        """Set the options from `options()` of an earlier run (missing keys stay as they are)."""
        checks = {"expiry": self.expiry_check, "warn": self.warn_check,
                  "strict": self.strict_check, "wait_new": self.wait_check}  # fmt: skip
        for key, box in checks.items():
            if isinstance(options.get(key), bool):
                box.setChecked(bool(options[key]))
        for key, spin in (("warn_days", self.warn_spin), ("jobs", self.jobs_spin)):
            value = options.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                spin.setValue(value)  # clamped to the spin box's range
        self._on_warn_check_toggled(self.warn_check.isChecked())

    def show_profiles(self, names: list[str]) -> None:
        """Before a run: the profiles that will be checked (nothing to check: say so)."""
        if self.running:
            return
        self.table.start(names, self.expiry_check.isChecked())
        self.run_button.setEnabled(bool(names))
        self.summary.setText(
            f"{len(names)} saved profile{'s' if len(names) != 1 else ''} to check."
            if names else "No saved profiles: save one first (File > Save profile, Ctrl+S)."
        )  # fmt: skip

    def set_running(self, running: bool) -> None:
        """Check all becomes Cancel while a run goes on; the options wait for the next run."""
        self.running = running
        self.run_button.setText("Cancel" if running else "&Check all")
        self.run_button.setAccessibleName("Cancel" if running else "Check all")
        self.run_button.setToolTip("Stop the run now (results so far are kept)" if running
                                   else "Check every saved profile now (Enter)")  # fmt: skip
        self.run_button.setEnabled(True)
        for widget in (self.expiry_check, self.warn_check, self.wait_check, self.jobs_spin,
                       self.copy_button, self.save_button):  # fmt: skip
            widget.setEnabled(not running)
        self._on_warn_check_toggled(self.warn_check.isChecked())
        self.progress.setVisible(running)

    def show_progress(self, done: int, total: int, text: str = "") -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.summary.setText(text or f"Checking… {done} of {total} done")

    def show_cancelling(self) -> None:
        self.run_button.setEnabled(False)
        self.run_button.setText("Cancelling…")
        self.summary.setText("Cancelling: requests on their way are cut short…")

    @Slot()
    def _on_run_button_clicked(self) -> None:
        (self.cancelRequested if self.running else self.startRequested).emit()

    @Slot(bool)
    def _on_warn_check_toggled(self, on: bool) -> None:
        for widget in (self.warn_spin, self.strict_check):  # they qualify the warning
            widget.setEnabled(on and not self.running)

    @Slot(bool)
    def _on_expiry_check_toggled(self, on: bool) -> None:
        if on or not any(o is not None and o.credential_expires_at for o in self.table.outcomes):
            self.table.setColumnHidden(3, not on)

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid() and self.table.outcomes[index.row()] is not None:
            self.rowOpened.emit(index.row())

    def reject(self) -> None:  # Esc, Close and the title bar's close all come here
        if self.running:
            self.cancelRequested.emit()
        super().reject()
