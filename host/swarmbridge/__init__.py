"""SwarmBridge: a local-first desktop agent (browser extension + native-messaging host)."""

__version__ = "0.1.0"
__all__ = ["__version__"]
