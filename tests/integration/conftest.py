"""Fixtures: a daemon subprocess in a private SWARMBRIDGE_HOME, and fake browsers driving relays."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from swarmbridge.sandbox.subproc import terminate
from relaykit import PY, FakeBrowser, daemon_pid, wait_until


@pytest.fixture
def daemon(sb_home: Path) -> Iterator[subprocess.Popen]:
    proc = subprocess.Popen([PY, "-m", "swarmbridge.cli.main", "daemon", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until(daemon_pid, 30, "the daemon to answer")
        yield proc
    finally:
        terminate(proc)
        for stream in (proc.stdout, proc.stderr):
            stream.close()  # type: ignore[union-attr]


@pytest.fixture
def browsers() -> Iterator[Callable[..., FakeBrowser]]:
    made: list[FakeBrowser] = []

    def make(*args: Any, **kw: Any) -> FakeBrowser:
        fb = FakeBrowser(*args, **kw)
        made.append(fb)
        return fb

    yield make
    for fb in made:
        fb.close()
