"""``swarmbridge mcp``: the user's browser for other agents, as an MCP server, under the same
approval policy as the swarm.

    commands.py    the browser commands an agent may call, with their argument models (no SDK)
    judge.py       what a command would do, in the approval rules' terms (daemon side)
    gatekeeper.py  the daemon's ``mcp.browser``: judge, ask, wait, run once (component)
    present.py     outcomes as MCP tool results, page content marked as data
    tools.py       the tool listing and calls (one ``mcp.browser`` each), progress, tab clean-up
    server.py      the MCP server (official SDK): stdio and streamable HTTP on loopback

The daemon loads the first three, which import no MCP SDK.
"""
