"""`swarmbridge demo` from a terminal: runs start to finish against real Chromium and leaves a CSV
with all 120 list items and the article as Markdown, runs a recipe run, and autofills the checkout
(every value previewed, submitted only after the approval the demo gives)."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest


@pytest.mark.browser
def test_demo_command_writes_csv_and_markdown(tmp_path) -> None:
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "swarmbridge.cli.main", "demo", "--headless", "--out", str(out)],
                          capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "120 rows saved" in proc.stdout and "[8/8]" in proc.stdout and "done in" in proc.stdout
    assert "(a recipe: no model needed) read the article through your session: done" in proc.stdout
    preview = proc.stdout.split("approval ", 1)[1]
    assert "Country          GB" in preview and "ZIP / Postcode   YO21 3PU" in preview, "every value is previewed before the approval"
    assert "submitted after approval: Thank you Order 1 for Ada ships to Whitby, GB" in proc.stdout
    with (out / "catalogue.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 120 and rows[0]["name"] == "Item 001" and rows[-1]["name"] == "Item 120"
    md = (out / "article.md").read_text(encoding="utf-8")
    assert md.startswith("# Harbour town votes to keep its ferry") and "inspect the hull" in md
