"""Test fixtures that are real parts: the scripted OpenAI-compatible server and its rules."""

from .rules import Faults, Reply, SwarmRules, role_of
from .scripted_server import ScriptedServer

__all__ = ["Faults", "Reply", "ScriptedServer", "SwarmRules", "role_of"]
