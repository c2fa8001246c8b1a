"""A Task Scheduler definition (XML, schema 1.2) that starts the daemon at logon on Windows, so
schedules fire with the browser closed. Linux/macOS units live in ``install/service.py``."""

from __future__ import annotations

import sys
from xml.sax.saxutils import escape

TASK_NAME = "SwarmBridge Daemon"


def task_xml(python: str = sys.executable, user: str = "", sb_home: str | None = None) -> str:
    """Logon trigger, restart on failure, no time limit, runs only as the logged-on user."""
    env = f" set SWARMBRIDGE_HOME={escape(sb_home)} &amp;&amp;" if sb_home else ""
    command, arguments = ("cmd.exe", f"/c{env} &quot;{escape(python)}&quot; -m swarmbridge.cli.main daemon --quiet") if sb_home else (
        escape(python), "-m swarmbridge.cli.main daemon --quiet")
    user_el = f"<UserId>{escape(user)}</UserId>" if user else ""
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo><Description>SwarmBridge daemon (local agent; one per user)</Description></RegistrationInfo>
  <Triggers><LogonTrigger><Enabled>true</Enabled>{user_el}</LogonTrigger></Triggers>
  <Principals><Principal id="Author">{user_el}<LogonType>InteractiveToken</LogonType><RunLevel>LeastPrivilege</RunLevel></Principal></Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure><Interval>PT1M</Interval><Count>999</Count></RestartOnFailure>
    <Hidden>true</Hidden>
  </Settings>
  <Actions Context="Author"><Exec><Command>{command}</Command><Arguments>{arguments}</Arguments></Exec></Actions>
</Task>
"""
