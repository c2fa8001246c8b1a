"""The public surface of ``swarmbridge.llm`` (what the swarm and others may import)."""

from __future__ import annotations

import swarmbridge.llm as llm


def test_exported_members() -> None:
    assert llm.__all__ == sorted(llm.__all__)
    assert set(llm.__all__) == {"BadOutput", "Completion", "Fatal", "FakeModel", "Model", "ModelError", "RateLimited",
                                "ServerError", "Timeout", "ToolCall", "ToolSpec", "Usage"}
    for cls in (llm.RateLimited, llm.ServerError, llm.Timeout):
        assert cls.kind == "retry"
    assert llm.BadOutput.kind == "reprompt" and llm.Fatal.kind == "fatal"


def test_fake_model_is_a_model() -> None:
    assert isinstance(llm.FakeModel(lambda m, t: llm.Completion("x")), llm.Model)
