"""The autofill model fallback's boundary: what the model may see, and what of its reply is used."""

import json

from swarmbridge.autofill.guess import guess_types
from swarmbridge.autofill.service import fillable_tokens
from swarmbridge.llm.errors import Fatal
from swarmbridge.llm.fake import FakeModel, text

UNKNOWN = [{"ref": "e3", "label": "Where should the receipt go?", "name": "rcpt", "unknown": True, "value": "should-not-leak"},
           {"ref": "e4", "label": "", "name": "", "unknown": True}]  # nothing to go on: not asked


async def test_only_asked_refs_and_fillable_tokens_are_kept() -> None:
    reply = {"fields": [{"ref": "e3", "type": "email"}, {"ref": "e9", "type": "email"}, {"ref": "e3", "type": "cc-number"}]}
    model = FakeModel(lambda m, t: text(json.dumps(reply)))
    assert await guess_types(model, UNKNOWN, ["email", "given-name"]) == {"e3": "email"}
    sent = json.dumps(model.calls[0]["messages"])
    assert "should-not-leak" not in sent and '"e4"' not in sent and "untrusted web page" in sent


async def test_unusable_replies_guess_nothing() -> None:
    for answer in (text("I think e3 is an email"), text('{"fields": "e3=email"}'), Fatal("bad key")):
        model = FakeModel(lambda m, t, a=answer: a)
        assert await guess_types(model, UNKNOWN, ["email"]) == {}
    never = FakeModel(lambda m, t: text("{}"))
    assert await guess_types(never, UNKNOWN[1:], ["email"]) == {} and never.calls == [], "no question without a label"


def test_fillable_tokens_cover_sections() -> None:
    assert fillable_tokens({"given-name": "Ada", "email": "", "shipping": {"postal-code": "1"}}) == ["given-name", "postal-code"]
