"""The Windows registry seam: set/get/delete the (Default) value of a key. ``WinRegistry`` uses
``winreg`` (Windows only, untested here); ``FakeRegistry`` is the in-memory fake beside it."""

from __future__ import annotations

from typing import Protocol


class Registry(Protocol):
    def set_default(self, root: str, key: str, value: str) -> None: ...

    def get_default(self, root: str, key: str) -> str | None: ...

    def delete(self, root: str, key: str) -> bool: ...


class FakeRegistry:
    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    def set_default(self, root: str, key: str, value: str) -> None:
        self.values[(root, key.lower())] = value

    def get_default(self, root: str, key: str) -> str | None:
        return self.values.get((root, key.lower()))

    def delete(self, root: str, key: str) -> bool:
        return self.values.pop((root, key.lower()), None) is not None


class WinRegistry:  # pragma: no cover - needs Windows
    """HKCU/HKLM through ``winreg``."""

    def _root(self, root: str):
        import winreg

        return {"HKCU": winreg.HKEY_CURRENT_USER, "HKLM": winreg.HKEY_LOCAL_MACHINE}[root]

    def set_default(self, root: str, key: str, value: str) -> None:
        import winreg

        with winreg.CreateKeyEx(self._root(root), key, 0, winreg.KEY_WRITE) as k:
            winreg.SetValueEx(k, "", 0, winreg.REG_SZ, value)

    def get_default(self, root: str, key: str) -> str | None:
        import winreg

        try:
            with winreg.OpenKey(self._root(root), key) as k:
                return winreg.QueryValueEx(k, "")[0]
        except FileNotFoundError:
            return None

    def delete(self, root: str, key: str) -> bool:
        import winreg

        try:
            winreg.DeleteKey(self._root(root), key)
            return True
        except FileNotFoundError:
            return False
