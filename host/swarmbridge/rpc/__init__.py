"""Local-socket RPC: the transport between relay/CLI and the daemon, and the method router."""
