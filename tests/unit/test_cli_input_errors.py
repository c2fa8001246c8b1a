"""Bad input at the command line gets a clear error, never a traceback: validation problems are
listed as 'where: what' (no pydantic links, no raw JSON), schedule trigger options are told apart
by presence (an empty --python "" is refused by name, not mistaken for a scrape)."""

from __future__ import annotations

import subprocess
import sys

import pydantic
import pytest

from swarmbridge.cli import _client, schedule
from swarmbridge.cli.main import build_parser
from swarmbridge.rpc.router import RpcError
from swarmbridge.validation import problems, summary


def _args(*argv: str):
    return build_parser().parse_args(["schedule", "add", "j", "* * * * *", *argv])


@pytest.mark.parametrize(("argv", "trigger"), [
    (("--python", ""), {"kind": "python", "code": ""}),
    (("--shell", ""), {"kind": "shell", "command": ""}),
    (("--prompt", ""), {"kind": "prompt", "prompt": ""}),
])
def test_empty_trigger_options_keep_their_kind(argv, trigger) -> None:
    assert schedule._spec(_args(*argv))["trigger"] == trigger


def test_json_options_must_be_objects() -> None:
    for argv in (("--scrape", "[1]"), ("--autofill", '"x"'), ("--spec", "3")):
        with pytest.raises(ValueError, match="needs a JSON object"):
            schedule._spec(_args(*argv))


def test_daemon_validation_errors_print_as_lines(monkeypatch, capsys) -> None:
    data = [{"type": "x", "loc": ["trigger", "python", "code"], "msg": "String should have at least 1 character"},
            {"type": "y", "loc": ["grace_s"], "msg": "Input should be greater than 0"}]

    def refuse(method, params, timeout):
        raise RpcError("invalid_params", "invalid params: trigger.python.code: String should have at least 1 character (+1 more)", data)

    monkeypatch.setattr(_client, "call", refuse)
    assert _client.run_call("schedule.add", {}) == (1, None)
    err = capsys.readouterr().err
    assert "  trigger.python.code: String should have at least 1 character\n  grace_s: Input should be greater than 0" in err
    assert "[" not in err.split("\n", 1)[1], "no raw JSON"


def test_problems_are_plain_lines() -> None:
    class M(pydantic.BaseModel):
        url: str = pydantic.Field(pattern="^https?://")
        n: int = pydantic.Field(gt=0)

    with pytest.raises(pydantic.ValidationError) as info:
        M(url="ftp://x", n=0)
    assert problems(info.value) == ["url: String should match pattern '^https?://'", "n: Input should be greater than 0"]
    assert summary(info.value, limit=1) == "url: String should match pattern '^https?://' (+1 more)"
    assert "errors.pydantic.dev" not in " ".join(problems(info.value))


def test_models_add_with_bad_values_names_each_field(tmp_path) -> None:
    env = {"SWARMBRIDGE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "swarmbridge.cli.main", "models", "add", "x", "--base-url", "foo", "--model", "m", "--input-price", "-1"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "base_url: 'foo' is not an http(s) URL" in proc.stderr and "input_price: Input should be greater than or equal to 0" in proc.stderr
    assert "pydantic.dev" not in proc.stderr


def test_schedule_next_count_is_bounded_like_the_daemons(capsys) -> None:
    args = build_parser().parse_args(["schedule", "next", "* * * * *", "--count", "100000"])
    assert schedule._next(args) == 2
    assert "--count: Input should be less than or equal to 1000" in capsys.readouterr().err
