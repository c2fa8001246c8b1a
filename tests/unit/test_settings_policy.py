"""The approval policy the options page edits: denied sites refuse outright (reads too), and site
lists take host names only (a URL pasted in is refused with the fix, never silently unmatched)."""

from __future__ import annotations

import pydantic
import pytest

from swarmbridge.policy.approver import ActionRequest
from swarmbridge.policy.rules import Policy


def req(risk: str, url: str) -> ActionRequest:
    return ActionRequest(tool="browser.click", risk=risk, summary="s", preview={"url": url}, origin="goal:1", idempotency_key="k")  # type: ignore[arg-type]


def test_denied_sites_win_over_everything() -> None:
    p = Policy(mode="allow", allowSites=["shop.example"], denySites=["evil.example"])
    for risk in ("read", "mutate", "sensitive"):
        d = p.auto(req(risk, "https://login.evil.example/x"))
        assert d is not None and not d.approved and d.by == "policy:deny-site" and "evil.example" in d.reason
    assert p.auto(req("mutate", "https://shop.example/cart")).approved  # type: ignore[union-attr]
    assert p.auto(req("read", "https://notevil.example/")).approved, "a suffix match needs the dot"  # type: ignore[union-attr]


@pytest.mark.parametrize("site", ["https://shop.example/", "shop.example/path", "shop example", "", "-bad.example"])
def test_site_lists_take_host_names_only(site: str) -> None:
    for field in ("allowSites", "denySites"):
        with pytest.raises(pydantic.ValidationError, match="not a site"):
            Policy.model_validate({field: [site]})


def test_host_names_accepted() -> None:
    p = Policy.model_validate({"allowSites": ["shop.example", ".example.org", "localhost", "127.0.0.1"], "denySites": ["x-y.example"]})
    assert p.model_dump(by_alias=True)["denySites"] == ["x-y.example"]
