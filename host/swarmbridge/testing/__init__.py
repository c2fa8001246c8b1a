"""Test fixtures that are real parts: the scripted OpenAI-compatible server and its rules.

``ScriptedServer`` is imported lazily so ``python -m swarmbridge.testing.scripted_server`` does not
import its own module twice (runpy warns about that).
"""

from typing import Any

from .rules import Faults, Reply, SwarmRules, role_of

__all__ = ["Faults", "Reply", "ScriptedServer", "SwarmRules", "role_of"]


def __getattr__(name: str) -> Any:
    if name == "ScriptedServer":
        from .scripted_server import ScriptedServer

        return ScriptedServer
    raise AttributeError(name)
