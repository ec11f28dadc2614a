"""One imgplan at a time changes a profile: a lock held from reading it to the rename.

Without it, ten ``imgplan mark`` run at once (a shell loop with ``&``, two terminals, a sync
client) each read the same profile, each add their own record and each save, and the last
save wins: every one says "Recorded" and the profile keeps one. So every command that changes
the profile takes this lock before it reads the profile and keeps it until the command ends
(``imgplan.cli`` releases it), and a second one waits its turn.

The lock is ``filelock``'s (``fcntl.flock`` on Unix, ``msvcrt`` on Windows) on a file beside
the profile, ``profile.yaml.lock``, which stays in place: removing a lock file while another
process waits on it would let two in at once. The holder writes its process id into it, so
that one that waited too long can say who holds it. Only a command that writes imports this.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from imgplan.core.errors import StoreError

ENV_TIMEOUT = "IMGPLAN_LOCK_TIMEOUT"
# A save takes well under a second; ten imgplan started at once on a slow two-core machine
# finish within a few seconds each behind the other. A heuristic: long enough for a queue of
# those, short enough that a stuck one (a process stopped with Ctrl-Z) is reported, not waited
# on for ever.
TIMEOUT_SECONDS = 30.0
LOCK_MODE = 0o600
_PID_BYTES = 32

_held: list[Any] = []


def lock_path(profile: Path) -> Path:
    """The lock file of the profile at ``profile`` (a symlinked profile: beside its target,
    where every path to it meets)."""
    real = Path(os.path.realpath(profile))
    return real.with_name(real.name + ".lock")


def hold(profile: Path) -> None:
    """Take the lock of ``profile``'s file for the rest of this command; wait a bounded time
    for another imgplan that holds it, then refuse (exit 2) naming its process id.

    Taken again for the same file within one command, it is already held: nothing happens.
    """
    from filelock import FileLock, Timeout

    path = lock_path(profile)
    if any(Path(lock.lock_file) == path for lock in _held):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the profile's folder: {exc.strerror or exc}",
                         file=path.parent) from None
    lock = FileLock(str(path), mode=LOCK_MODE)
    try:
        lock.acquire(timeout=_timeout())
    except Timeout:
        holder = _holder(path)
        who = f"another imgplan (pid {holder})" if holder else "another imgplan"
        raise StoreError(f"the profile is being changed by {who}; nothing was changed here",
                         file=profile, hint="try again when it has finished") from None
    except OSError as exc:
        raise StoreError(f"cannot lock the profile ({exc.strerror or exc}); nothing was "
                         "changed", file=profile) from None
    _held.append(lock)
    _write_pid(path)


def release_all() -> None:
    """Let the next imgplan in: called when a command ends, however it ends."""
    while _held:
        lock = _held.pop()
        with contextlib.suppress(Exception):
            lock.release(force=True)


def _timeout() -> float:
    text = os.environ.get(ENV_TIMEOUT, "")
    try:
        value = float(text)
    except ValueError:
        return TIMEOUT_SECONDS
    return value if 0 <= value <= 3600 else TIMEOUT_SECONDS


def _write_pid(path: Path) -> None:
    # Best effort: the pid is only for the message of one that waits too long.
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        finally:
            os.close(fd)


def _holder(path: Path) -> int | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        try:
            text = os.read(fd, _PID_BYTES).decode("ascii", "replace").strip()
        finally:
            os.close(fd)
    except OSError:
        return None
    return int(text) if text.isdigit() and len(text) < 12 else None
