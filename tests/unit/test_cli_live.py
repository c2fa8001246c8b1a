"""The run's live view: events folded into progress, active sub-agents, steps and tokens."""

import io

from swarmbridge.cli.live import MAX_ROWS, LiveScreen, RunView


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_view_follows_the_event_stream() -> None:
    clock = Clock()
    v = RunView("r1", clock=clock)
    v.apply("started", {"steps": 4, "resumed": 1})
    for t in ("a", "b", "c"):
        v.apply("task_started", {"task": t})
    v.apply("step", {"task": "a", "turn": 1, "tokens": 120})
    v.apply("tool_call", {"task": "a", "tool": "browser_extract", "key": "k"})
    v.apply("step", {"task": "b", "turn": 1, "tokens": 300})
    v.apply("verified", {"task": "b", "attempt": 1, "passed": False, "feedback": "no sources cited"})
    v.apply("task_started", {"task": "b"})
    v.apply("task_finished", {"task": "a"})
    v.apply("blocked", {"task": "c", "reason": "login required"})
    v.apply("something_new", {"x": 1})  # a newer daemon's event: ignored
    clock.t += 12
    text = "\n".join(v.render(120))
    assert "3/4 tasks" in text and "1 active" in text and "2 steps" in text and "1 tool calls" in text and "300 tokens" in text
    assert "b (try 2)" in text and "blocked c: login required" in text and "12 s" in text
    assert " a " not in text.split("\n", 2)[-1], "a finished sub-agent leaves the table"
    assert "$" not in text, "no prices, no cost shown"
    v.apply("finished", {"status": "done_with_blocked", "stop_reason": "completed", "steps": 9, "tokens": 900, "cost": 0.0123})
    assert v.status == "done_with_blocked" and v.steps == 9
    v.apply("usage", {"tokens": 1100, "cost": 0.0151})  # the writer's share, after finished
    assert "1,100 tokens ($0.0151)" in v.render(120)[0]


def test_many_agents_are_summarised_and_lines_fit() -> None:
    v = RunView("r2")
    v.apply("started", {"steps": 300})
    for i in range(300):
        v.apply("task_started", {"task": f"t{i}"})
    lines = v.render(60)
    assert len(lines) == 2 + MAX_ROWS + 1 and lines[-1].strip() == f"… and {300 - MAX_ROWS} more"
    assert all(len(line) <= 60 for line in lines[1:])


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_screen_redraws_in_place_only_on_a_terminal() -> None:
    v = RunView("r3")
    v.apply("started", {"steps": 1})
    piped = io.StringIO()
    LiveScreen(piped).draw(v)
    assert piped.getvalue() == ""
    tty = Tty()
    screen = LiveScreen(tty)
    screen.draw(v)
    v.apply("task_started", {"task": "only"})
    screen.draw(v)
    out = tty.getvalue()
    assert out.count("run r3") == 2 and "\x1b[1F\x1b[J" in out, "the second frame moves up over the first and clears it"
