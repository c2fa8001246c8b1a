"""Autofill profiles: validated at the boundary; payment fields never stored in SQLite."""

from __future__ import annotations

import re
from typing import Any

import pydantic

#: Autocomplete tokens a profile may hold (https://html.spec.whatwg.org/#autofill-field).
TOKENS = frozenset(
    """name honorific-prefix given-name additional-name family-name honorific-suffix nickname
    organization-title username new-password current-password one-time-code organization
    street-address address-line1 address-line2 address-line3 address-level4 address-level3
    address-level2 address-level1 country country-name postal-code cc-name cc-given-name
    cc-additional-name cc-family-name cc-number cc-exp cc-exp-month cc-exp-year cc-csc cc-type
    transaction-currency transaction-amount language bday bday-day bday-month bday-year sex url
    photo tel tel-country-code tel-national tel-area-code tel-local tel-local-prefix
    tel-local-suffix tel-extension email impp""".split()
)
#: Never written to the database: kept in the OS keyring or not at all.
SECRET = frozenset(t for t in TOKENS if t.startswith("cc-") or t in {"new-password", "current-password", "one-time-code"})
SECTIONS = ("shipping", "billing")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$")


def _check_fields(fields: dict[str, str]) -> dict[str, str]:
    for token, value in fields.items():
        if token not in TOKENS:
            raise ValueError(f"{token!r} is not an autocomplete field name (e.g. given-name, email, postal-code)")
        if not isinstance(value, str) or len(value) > 500:
            raise ValueError(f"{token}: a text value of at most 500 characters")
    return fields


def check_name(v: str) -> str:
    """The one rule for a profile's name (profiles, and schedules that name one)."""
    if not _NAME.match(v):
        raise ValueError("a profile name is 1-64 letters, digits, spaces, dots, dashes or underscores")
    return v


class Profile(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    name: str
    fields: dict[str, str] = {}
    shipping: dict[str, str] = {}
    billing: dict[str, str] = {}

    @pydantic.field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return check_name(v)

    @pydantic.field_validator("fields", "shipping", "billing")
    @classmethod
    def _fields(cls, v: dict[str, str]) -> dict[str, str]:
        return _check_fields(v)

    def secrets(self) -> dict[str, str]:
        """Payment/password values (key: "section:token" or "token")."""
        out = {t: v for t, v in self.fields.items() if t in SECRET}
        for sec in SECTIONS:
            out.update({f"{sec}:{t}": v for t, v in getattr(self, sec).items() if t in SECRET})
        return out

    def public(self) -> "Profile":
        """The profile without secret values (what the database stores)."""
        return Profile(
            name=self.name,
            fields={t: v for t, v in self.fields.items() if t not in SECRET},
            shipping={t: v for t, v in self.shipping.items() if t not in SECRET},
            billing={t: v for t, v in self.billing.items() if t not in SECRET},
        )

    def for_fill(self) -> dict[str, Any]:
        """The shape the extension fills from: {token: value, shipping: {...}, billing: {...}}."""
        out: dict[str, Any] = dict(self.fields)
        for sec in SECTIONS:
            if getattr(self, sec):
                out[sec] = dict(getattr(self, sec))
        return out


class SecretStore:
    """Payment data lives in the OS keyring; where none is usable it is refused, never stored."""

    SERVICE = "swarmbridge-autofill"

    def __init__(self) -> None:
        try:
            import keyring  # optional dependency
            from keyring.errors import KeyringError

            backend = keyring.get_keyring()
            if "fail" in type(backend).__module__ or "null" in type(backend).__module__:
                raise RuntimeError(f"no usable keyring backend ({type(backend).__name__})")
            self._keyring, self._errors = keyring, KeyringError
            self.unavailable = ""
        except Exception as exc:  # noqa: BLE001 - any failure means: no keyring
            self._keyring = None
            self.unavailable = f"the OS keyring is not available ({exc})"

    def put(self, profile: str, key: str, value: str) -> None:
        if self._keyring is None:
            raise ValueError(f"payment and password data are kept only in the OS keyring, and {self.unavailable}")
        self._keyring.set_password(self.SERVICE, f"{profile}/{key}", value)

    def get(self, profile: str, key: str) -> str | None:
        return None if self._keyring is None else self._keyring.get_password(self.SERVICE, f"{profile}/{key}")
