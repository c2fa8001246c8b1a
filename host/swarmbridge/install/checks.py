"""What ``swarmbridge doctor`` checks, as pure-ish functions returning ``Finding``s with a fix.

Chrome reports most manifest mistakes with the same misleading "Specified native messaging host
not found." (a missing trailing ``/`` in ``allowed_origins``, a relative ``path``, a file name that
differs from ``name``), so each check here names the exact problem and its fix.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from . import HOST_NAME

Level = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Finding:
    level: Level
    what: str
    detail: str = ""
    fix: str = ""


def check_manifest(path: Path, *, browser: str, expected_id: str) -> list[Finding]:
    """Every problem with one host-manifest file (an empty list of failures means it is good)."""
    where = f"{browser} manifest {path}"
    reinstall = f"run `swarmbridge install --browser {browser}`"
    if not path.exists():
        return [Finding("fail", where, "missing", reinstall)]
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return [Finding("fail", where, "starts with a UTF-8 BOM; the browser cannot parse it", f"save it as UTF-8 without BOM, or {reinstall}")]
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return [Finding("fail", where, "is not UTF-8", reinstall)]
    except ValueError as exc:
        return [Finding("fail", where, f"is not valid JSON ({exc})", reinstall)]
    if not isinstance(data, dict):
        return [Finding("fail", where, "is not a JSON object", reinstall)]
    out: list[Finding] = []
    name = data.get("name")
    if name != HOST_NAME:
        out.append(Finding("fail", where, f"name is {name!r}, expected {HOST_NAME!r}", reinstall))
    if path.stem != name:
        out.append(Finding("fail", where, f"file name {path.name!r} differs from name {name!r} (Chrome then says 'host not found')", f"rename it to {name}.json, or {reinstall}"))
    if data.get("type") != "stdio":
        out.append(Finding("fail", where, f"type is {data.get('type')!r}, expected 'stdio'", reinstall))
    exe = data.get("path")
    if not isinstance(exe, str) or not os.path.isabs(exe):
        out.append(Finding("fail", where, f"path {exe!r} is not absolute (Chrome then says 'host not found')", reinstall))
    elif not os.path.isfile(exe):
        out.append(Finding("fail", where, f"path {exe} does not exist", reinstall))
    elif not os.access(exe, os.X_OK):
        out.append(Finding("fail", where, f"path {exe} is not executable (Chrome then says 'Native host has exited')", f"chmod +x {exe}"))
    if browser == "firefox":
        allowed = data.get("allowed_extensions")
        if not isinstance(allowed, list) or expected_id not in allowed:
            out.append(Finding("fail", where, f"allowed_extensions {allowed!r} lacks {expected_id!r}", reinstall))
    else:
        want = f"chrome-extension://{expected_id}/"
        allowed = data.get("allowed_origins")
        if not isinstance(allowed, list) or want not in allowed:
            near = isinstance(allowed, list) and want.rstrip("/") in allowed
            why = "the entry lacks its trailing '/'" if near else f"{allowed!r} lacks {want!r}"
            out.append(Finding("fail", where, f"allowed_origins: {why} (Chrome then says 'host not found')", reinstall))
    return out or [Finding("ok", where)]


def check_launcher(exe: str, timeout: float = 10.0) -> Finding:
    """Start the launcher as a browser would, with an origin it must refuse: a host that runs
    answers with exactly one framed ``forbidden`` error and nothing else on stdout."""
    what = f"launcher {exe}"
    try:
        proc = subprocess.run([exe, "chrome-extension://doctorprobe/"], input=b"", capture_output=True, timeout=timeout, env=_browser_like_env())
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Finding("fail", what, f"does not run: {exc} (Chrome then says 'Native host has exited')", "run `swarmbridge install` again")
    out = proc.stdout
    if len(out) < 4:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        return Finding("fail", what, f"exited {proc.returncode} without a reply: {tail[0]}", "run `swarmbridge install` again; check the Python it names")
    (n,) = struct.unpack("=I", out[:4])
    if len(out) != 4 + n:
        return Finding("fail", what, "writes stray bytes to stdout (Chrome then says 'Error when communicating with the native messaging host')", "remove prints to stdout from the host")
    try:
        code = json.loads(out[4:])["error"]["code"]
    except (ValueError, KeyError, TypeError):
        code = None
    if code != "forbidden":
        return Finding("fail", what, f"answered {out[4:200]!r} instead of refusing an unknown origin", "reinstall")
    return Finding("ok", what, "runs, speaks native framing, refuses unknown origins")


def _browser_like_env() -> dict[str, str]:
    """Browsers start hosts with a minimal PATH; keep only what locates the user's files."""
    keep = ("HOME", "SWARMBRIDGE_HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "SYSTEMROOT", "LOCALAPPDATA", "APPDATA")
    return {"PATH": "/usr/bin:/bin", **{k: v for k, v in os.environ.items() if k in keep}}


_SANDBOXED = {
    "flatpak": [".var/app/com.google.Chrome", ".var/app/org.chromium.Chromium", ".var/app/com.brave.Browser", ".var/app/com.microsoft.Edge", ".var/app/com.vivaldi.Vivaldi", ".var/app/org.mozilla.firefox"],
    "snap": ["snap/chromium", "snap/firefox", "snap/brave"],
}


def check_sandboxed_browsers(home: Path) -> list[Finding]:
    """Flatpak and Snap browsers cannot start native hosts (Firefox Snap can through the portal)."""
    out = []
    for kind, subs in _SANDBOXED.items():
        for sub in subs:
            if (home / sub).exists():
                ok_via_portal = sub == "snap/firefox"
                out.append(Finding(
                    "ok" if ok_via_portal else "warn",
                    f"{kind} browser {sub.rsplit('/', 1)[-1]}",
                    "can start hosts through the desktop portal" if ok_via_portal else f"a {kind} browser cannot start native-messaging hosts",
                    "" if ok_via_portal else "install the browser from your distribution's packages (deb/rpm) or the vendor's site",
                ))
    return out


def check_runtime_dir(runtime_dir: Path, socket_path: str) -> list[Finding]:
    """The socket must be reachable by this user only: dir 0700 (no group/other bits), socket 0600."""
    out: list[Finding] = []
    if runtime_dir.exists():
        mode = runtime_dir.stat().st_mode & 0o777
        if mode & 0o077:
            out.append(Finding("fail", f"runtime dir {runtime_dir}", f"mode {mode:o} lets other users in", f"chmod 700 {runtime_dir}"))
    if os.path.exists(socket_path):
        mode = os.stat(socket_path).st_mode & 0o777
        if mode & 0o077:
            out.append(Finding("fail", f"socket {socket_path}", f"mode {mode:o} lets other users in", "stop the daemon, delete the socket, start it again"))
    return out or [Finding("ok", "runtime dir and socket", "private to this user")]


#: Linux folders where Chrome/Chromium/Edge read enterprise policies.
POLICY_DIRS = (
    Path("/etc/opt/chrome/policies/managed"),
    Path("/etc/chromium/policies/managed"),
    Path("/etc/opt/edge/policies/managed"),
)


def check_policies(policy_dirs: tuple[Path, ...] = POLICY_DIRS) -> list[Finding]:
    """Enterprise policies that silently stop our host: per-user hosts forbidden, or a blocklist
    that names us (or everything) without an allowlist entry."""
    out: list[Finding] = []
    for d in policy_dirs:
        for f in sorted(d.glob("*.json")) if d.is_dir() else []:
            try:
                pol = json.loads(f.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if not isinstance(pol, dict):
                continue
            if pol.get("NativeMessagingUserLevelHosts") is False:
                out.append(Finding("fail", f"policy {f}", "NativeMessagingUserLevelHosts is false: per-user host manifests are ignored", "run `sudo swarmbridge install --system`"))
            blocked = pol.get("NativeMessagingBlocklist") or []
            allowed = pol.get("NativeMessagingAllowlist") or []
            if isinstance(blocked, list) and ({"*", HOST_NAME} & set(blocked)) and HOST_NAME not in allowed:
                out.append(Finding("fail", f"policy {f}", f"NativeMessagingBlocklist blocks {HOST_NAME}", f"ask your administrator to add {HOST_NAME} to NativeMessagingAllowlist"))
    return out
