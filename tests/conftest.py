import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sb_home(tmp_path, monkeypatch):
    """A private SWARMBRIDGE_HOME for the test (config, data, logs, socket)."""
    home = Path(os.environ.get("TMPDIR", "/tmp")) / f"sbh-{os.getpid()}-{abs(hash(str(tmp_path))) % 10**8}"
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("SWARMBRIDGE_HOME", str(home))
    yield home
    import shutil

    shutil.rmtree(home, ignore_errors=True)
