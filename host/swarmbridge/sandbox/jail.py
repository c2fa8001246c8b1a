"""The path jail. Every path the agent names is relative to a mount; it is resolved component by
component with directory file descriptors and O_NOFOLLOW, so neither ``..``, an absolute path, a
symlink (also one swapped in after a check), nor a special file can take it outside the mount.

Even inside a mount some places are never written: browsers' native-messaging host folders and
profile files (a swapped host manifest would run any program) and SwarmBridge's own config, data
and socket.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..paths import user_paths


class JailError(ValueError):
    """A path that is not allowed; the message says why."""


_BAD = re.compile(r"[\x00-\x1f]")
PROTECTED_NAMES = {"preferences", "secure preferences", "local state", "nativemessaginghosts", "native-messaging-hosts"}
CASE_INSENSITIVE = sys.platform in ("darwin", "win32")


@dataclass(frozen=True)
class Mount:
    name: str
    root: Path
    writable: bool = False


def split(rel: str) -> list[str]:
    """Validate a mount-relative path and return its parts (no '.', '..', empty or odd parts)."""
    if not isinstance(rel, str):
        raise JailError("a path is a string")
    if _BAD.search(rel):
        raise JailError("control characters (NUL included) are not allowed in paths")
    if "\\" in rel or ":" in rel:
        raise JailError("backslashes, drive letters and ':' streams are not allowed; use forward slashes")
    if rel.startswith("/") or rel.startswith("~"):
        raise JailError(f"{rel!r} is absolute: paths are relative to a mount")
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    for p in parts:
        if p == "..":
            raise JailError("'..' is not allowed: paths stay inside their mount")
        if p.strip(" .") == "" or p != p.rstrip(" ."):
            raise JailError(f"path part {p!r} ends in a dot or space (Windows would alias it)")
    return parts


def _protected_roots() -> list[Path]:
    p = user_paths()
    return [p.config_dir, p.data_dir, p.runtime_dir]


def check_writable(mount: Mount, parts: list[str]) -> None:
    if not mount.writable:
        raise JailError(f"mount {mount.name!r} is read-only")
    for part in parts:
        key = part.casefold()
        if key in PROTECTED_NAMES:
            raise JailError(f"{part!r} belongs to a browser's native-messaging or profile settings: never written")
    target = mount.root.joinpath(*parts)
    for root in _protected_roots():
        r = Path(os.path.realpath(root))
        t = Path(os.path.realpath(target))
        if CASE_INSENSITIVE:
            r, t = Path(str(r).casefold()), Path(str(t).casefold())
        if t == r or r in t.parents or t in r.parents:
            raise JailError("SwarmBridge's own config, data and socket are never written by its tools")


@contextmanager
def open_dir(mount: Mount, parts: list[str], *, create: bool = False):
    """Yield a directory fd for ``parts`` inside the mount, walked with O_NOFOLLOW at every step."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(mount.root, flags)
    try:
        for part in parts:
            try:
                nfd = os.open(part, flags, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise JailError(f"{'/'.join(parts)!r} does not exist in mount {mount.name!r}") from None
                os.mkdir(part, 0o755, dir_fd=fd)
                nfd = os.open(part, flags, dir_fd=fd)
            except OSError as exc:  # ELOOP/ENOTDIR: a symlink or a file where a folder should be
                raise JailError(f"{part!r} is a link or not a folder: links are not followed") from exc
            os.close(fd)
            fd = nfd
        yield fd
    finally:
        os.close(fd)


def open_file(mount: Mount, rel: str, mode: str = "r"):
    """Open a regular file inside the mount (binary); refuses links, FIFOs, devices and sockets."""
    parts = split(rel)
    if not parts:
        raise JailError("a file path is needed")
    *dirs, name = parts
    with open_dir(mount, dirs) as dfd:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(name, flags, dir_fd=dfd)
        except FileNotFoundError:
            raise JailError(f"{rel!r} does not exist in mount {mount.name!r}") from None
        except OSError as exc:
            raise JailError(f"{rel!r} is a link or cannot be opened: {exc.strerror}") from exc
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise JailError(f"{rel!r} is not a regular file (folders, FIFOs, devices and sockets are refused)")
    return os.fdopen(fd, "rb")


def resolve(mount: Mount, rel: str) -> Path:
    """The real path of ``rel`` after the walk (for display and for writers that need a path);
    the returned path is inside the mount's real root."""
    parts = split(rel)
    *dirs, name = parts or [""]
    with open_dir(mount, dirs):
        pass
    real_root = Path(os.path.realpath(mount.root))
    target = real_root.joinpath(*dirs, name) if name else real_root
    if os.path.islink(target):
        raise JailError(f"{rel!r} is a link: links are not followed")
    if real_root != target and real_root not in target.parents:
        raise JailError(f"{rel!r} leaves the mount")
    return target


def rel_posix(parts: list[str]) -> str:
    return str(PurePosixPath(*parts)) if parts else "."
