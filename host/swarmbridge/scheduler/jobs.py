"""What a scheduled job is: validated at the boundary (CLI, RPC) with pydantic.

A job = a cron expression + its timezone + one trigger + rules for what happens when firings are
missed, when a run is still going, and when the browser it needs is not there.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pydantic

from .cron import CronError, normalize, zone


class _Strict(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")


class PromptTrigger(_Strict):
    """Start a swarm run with the prompt as its goal, or, when ``goal`` is given, a Goal Mode goal
    (``goal`` holds its criteria/budgets; the prompt is the objective)."""

    kind: Literal["prompt"] = "prompt"
    prompt: str = pydantic.Field(min_length=1)
    budgets: dict[str, Any] | None = None
    goal: dict[str, Any] | None = None

    @pydantic.model_validator(mode="after")
    def _goal_valid(self) -> PromptTrigger:
        if self.goal is not None:
            from ..goals.model import GoalSpec

            GoalSpec.model_validate({**self.goal, "objective": self.prompt})  # refuse a bad goal at add time
        if self.budgets is not None:
            from ..swarm.service import RunBudgets

            RunBudgets.model_validate(self.budgets)  # refused at add time, not at every firing
        return self


class PythonTrigger(_Strict):
    """Run Python code in a fresh ``python -I`` subprocess (clean environment, time limit)."""

    kind: Literal["python"] = "python"
    code: str = pydantic.Field(min_length=1)
    timeout_s: float = pydantic.Field(default=300.0, gt=0, le=86_400)


class ShellTrigger(_Strict):
    """Run a command through ``/bin/sh -c`` (clean environment, own process group, time limit)."""

    kind: Literal["shell"] = "shell"
    command: str = pydantic.Field(min_length=1)
    timeout_s: float = pydantic.Field(default=300.0, gt=0, le=86_400)


class ScrapeTrigger(_Strict):
    """A structured extraction over the browser: open, wait, scroll until done, extract, paginate."""

    kind: Literal["scrape"] = "scrape"
    url: str = pydantic.Field(pattern=r"^https?://")
    wait_selector: str | None = None
    scroll: bool = True
    item_selector: str | None = None
    schema_: dict[str, Any] = pydantic.Field(alias="schema")
    paginate: dict[str, Any] | None = None
    key: str | None = None  # row field used to diff against the last run (default: the whole row)
    #: also write each run's rows to a file: csv / xlsx (one file per run) or sqlite (one database,
    #: every run appended), under <artefacts>/schedules/<job>/ (see ``outputs``)
    output: Literal["csv", "xlsx", "sqlite"] | None = None
    #: say what changed in the run's note, which is what raises the desktop notification
    notify_on_change: bool = True

    model_config = pydantic.ConfigDict(extra="forbid", populate_by_name=True)


class AutofillTrigger(_Strict):
    """Open ``url`` in a swarm tab, fill its form from an autofill profile, and (when ``submit``
    names the submit control) submit it after the user approves the preview of every value.

    The run waits for that approval at most ``approval_timeout_s`` (the user is notified the moment
    it is asked); an unanswered request is then withdrawn as denied, so a late "approve" can never
    submit a form the run has already left. A per-schedule policy (`approvals policy
    schedule:NAME allow`) lets a trusted job submit without asking."""

    kind: Literal["autofill"] = "autofill"
    profile: str
    url: str = pydantic.Field(pattern=r"^https?://")
    wait_selector: str | None = None
    submit: str | None = pydantic.Field(None, min_length=1)  # CSS selector or snapshot ref
    include_payment: bool = False
    approval_timeout_s: float = pydantic.Field(default=900.0, gt=0, le=86_400)

    @pydantic.field_validator("profile")
    @classmethod
    def _profile(cls, v: str) -> str:
        from ..autofill.profiles import check_name

        return check_name(v)


Trigger = Annotated[PromptTrigger | PythonTrigger | ShellTrigger | ScrapeTrigger | AutofillTrigger, pydantic.Field(discriminator="kind")]

BROWSER_TRIGGERS = ("scrape", "autofill")


class JobSpec(_Strict):
    name: str = pydantic.Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")
    cron: str
    tz: str = "UTC"
    trigger: Trigger
    #: skip: drop firings that were missed (due while nobody could run them); run at most the
    #: latest, and only if it is no later than ``grace_s`` and was the only one due.
    #: run_once: everything due within ``grace_s`` coalesces into one run.
    #: run_all: every firing due within ``grace_s`` runs, one after another.
    missed: Literal["skip", "run_once", "run_all"] = "run_once"
    grace_s: float = pydantic.Field(default=300.0, gt=0, le=30 * 86_400)
    allow_overlap: bool = False
    lock_timeout_s: float = pydantic.Field(default=6 * 3600.0, gt=0)
    jitter_s: float = pydantic.Field(default=0.0, ge=0, le=3600)
    #: a browser-needed job with no bridge connected: start one in the background, or wait for one
    #: within the grace window.
    no_browser: Literal["launch", "wait"] = "wait"

    @pydantic.field_validator("cron")
    @classmethod
    def _cron(cls, v: str) -> str:
        try:
            return normalize(v)
        except CronError as exc:
            raise ValueError(str(exc)) from exc

    @pydantic.field_validator("tz")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            zone(v)
        except CronError as exc:
            raise ValueError(str(exc)) from exc
        return v

    @property
    def needs_browser(self) -> bool:
        return self.trigger.kind in BROWSER_TRIGGERS
