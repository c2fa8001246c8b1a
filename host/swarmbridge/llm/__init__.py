"""Model endpoints: the ``Model`` seam, the OpenAI-compatible adapter, rate-limit gates, pools."""

from .errors import BadOutput, Fatal, ModelError, RateLimited, ServerError, Timeout
from .fake import FakeModel
from .interface import Completion, Model, ToolCall, ToolSpec, Usage

__all__ = [
    "BadOutput",
    "Completion",
    "FakeModel",
    "Fatal",
    "Model",
    "ModelError",
    "RateLimited",
    "ServerError",
    "Timeout",
    "ToolCall",
    "ToolSpec",
    "Usage",
]
