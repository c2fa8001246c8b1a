"""``swarmbridge doctor``: check manifests, the launcher, the daemon and the bridges; print a fix
for each failure; exit 1 when anything failed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..install import FIREFOX_EXTENSION_ID, HOST_NAME
from ..install.checks import Finding, check_launcher, check_manifest, check_policies, check_runtime_dir, check_sandboxed_browsers
from ..install.locations import BROWSERS, profile_dir, target, user_data_dir_target


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="check the installation and name the fix for each problem")
    p.add_argument("--browser", action="append", choices=[*BROWSERS, "all"], help="check only these browsers")
    p.add_argument("--user-data-dir", type=Path, help="also check D/NativeMessagingHosts/ (custom Chromium profile)")
    p.add_argument("--extension-id", help="expected Chromium extension id (default: from extension/manifest.json)")
    p.add_argument("--json", action="store_true", help="print findings as JSON")
    p.set_defaults(func=run)


def diagnose(args: argparse.Namespace, home: Path | None = None, platform: str = sys.platform) -> list[Finding]:
    from ..extension_id import extension_id
    from ..paths import user_paths
    from ..rpc.client import call
    from ..rpc.router import RpcError

    home = home or Path.home()
    paths = user_paths()
    chrome_id = args.extension_id or extension_id()
    findings: list[Finding] = []
    wanted = list(BROWSERS) if not args.browser or "all" in args.browser else args.browser
    manifests: list[tuple[str, Path]] = []
    if args.user_data_dir:
        manifests.append(("chromium", Path(user_data_dir_target(args.user_data_dir).manifest_dir) / f"{HOST_NAME}.json"))
    for b in wanted:
        t = target(b, platform, home, data_dir=paths.data_dir)
        mpath = Path(t.manifest_dir) / f"{HOST_NAME}.json"
        prof = profile_dir(b, platform, home)
        used = prof is not None and Path(prof).exists()
        if mpath.exists() or (used and args.browser):
            manifests.append((b, mpath))
        elif used:
            findings.append(Finding("warn", f"{b} is installed but has no SwarmBridge host manifest", str(mpath), f"run `swarmbridge install --browser {b}`"))
    if not manifests:
        findings.append(Finding("fail", "no SwarmBridge host manifest found", "", "run `swarmbridge install` (or `--user-data-dir D` for a custom profile)"))
    launchers: set[str] = set()
    for b, mpath in manifests:
        found = check_manifest(mpath, browser=b, expected_id=FIREFOX_EXTENSION_ID if b == "firefox" else chrome_id)
        findings += found
        if all(f.level == "ok" for f in found):
            launchers.add(json.loads(mpath.read_text(encoding="utf-8"))["path"])
    for exe in sorted(launchers):
        findings.append(check_launcher(exe))
    findings += check_sandboxed_browsers(home)
    if platform != "win32":
        findings += check_runtime_dir(paths.runtime_dir, paths.socket)
    if platform.startswith("linux"):
        findings += check_policies()
    try:
        status = call("daemon.status", {}, timeout=5)
        findings.append(Finding("ok", "daemon", f"pid {status['pid']}, version {status['version']}, socket {status['socket']}"))
        bridges = status.get("bridges", [])
        if bridges:
            names = ", ".join(f"{b['bridgeId']} ({b['browser']} {b.get('profile', '')})".strip() for b in bridges)
            findings.append(Finding("ok", "bridges", names))
        else:
            findings.append(Finding("warn", "bridges", "no browser is connected", "open the browser with the SwarmBridge extension loaded; it connects within seconds"))
    except RpcError as exc:
        findings.append(Finding("fail", "daemon", exc.message, "start it with `swarmbridge daemon` (the extension also starts it through the host)"))
    return findings


def run(args: argparse.Namespace) -> int:
    findings = diagnose(args)
    if args.json:
        json.dump([f.__dict__ for f in findings], sys.stdout, indent=2)
        print()
    else:
        mark = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}
        for f in findings:
            print(f"[{mark[f.level]}] {f.what}" + (f": {f.detail}" if f.detail else ""))
            if f.fix and f.level != "ok":
                print(f"       fix: {f.fix}")
    return 1 if any(f.level == "fail" for f in findings) else 0
