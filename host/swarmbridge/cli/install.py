"""``swarmbridge install`` / ``uninstall``: register the native-messaging host with browsers."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..install.locations import BROWSERS


def add_parser(sub: argparse._SubParsersAction) -> None:
    for name, helptext in (("install", "register the native host with your browsers"), ("uninstall", "remove what install wrote")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--browser", action="append", choices=[*BROWSERS, "all"], help="repeatable; default: chrome, chromium, edge, brave, vivaldi (all Chromium-family)")
        p.add_argument("--user-data-dir", type=Path, help="a custom Chromium profile dir: write D/NativeMessagingHosts/")
        p.add_argument("--system", action="store_true", help="system-wide locations (needs root/admin; for policies that forbid per-user hosts)")
        if name == "install":
            p.add_argument("--extension-id", help="Chromium extension id to allow (default: computed from extension/manifest.json)")
            p.add_argument("--firefox-id", help="Firefox add-on id to allow")
        p.add_argument("--service", action="store_true", help="also (un)install the per-user daemon service (systemd user unit / launchd agent)")
        p.set_defaults(func=run, action=name)


def run(args: argparse.Namespace) -> int:
    from ..install import FIREFOX_EXTENSION_ID
    from ..install.installer import Scope, install, uninstall
    from ..paths import user_paths

    browsers = args.browser or (["chromium"] if args.user_data_dir else ["chrome", "chromium", "edge", "brave", "vivaldi"])
    scope = Scope(user_paths(), system=args.system, user_data_dir=args.user_data_dir)
    try:
        if args.action == "install":
            res = install(browsers, scope, chrome_id=args.extension_id, firefox_id=args.firefox_id or FIREFOX_EXTENSION_ID)
            print(f"launcher  {res.launcher}")
            for m in res.manifests:
                print(f"manifest  {m}")
            for r in res.registry:
                print(f"registry  {r}")
            if args.service:
                from ..install.service import write_service

                unit = write_service(Path.home())
                print(f"service   {unit}")
                print("          enable: " + ("launchctl load " + str(unit) if unit.suffix == ".plist" else "systemctl --user daemon-reload && systemctl --user enable --now swarmbridge"))
            print("next: load the extension (chrome://extensions, Developer mode, Load unpacked: extension/), then `swarmbridge doctor`")
        else:
            res = uninstall(browsers, scope)
            if args.service:
                from ..install.service import remove_service

                res.removed += [str(p) for p in remove_service(Path.home())]
            for r in res.removed:
                print(f"removed   {r}")
            if not res.removed:
                print("nothing to remove")
    except PermissionError as exc:
        print(f"error: {exc}; --system needs root (sudo) or an administrator shell")
        return 1
    except (OSError, ValueError) as exc:
        print(f"error: {exc}")
        return 1
    return 0
