"""The streams a command talks through, made safe before any command runs.

Found by the fault review: a terminal that is not UTF-8 (``LANG=C`` on an old server,
``PYTHONIOENCODING=ascii``) crashed the first "…" with a UnicodeEncodeError; standard output
on a full device, or closed by ``| head -1``, ended in a traceback after ``mark`` had saved,
so a rerun recorded the sitting twice; an argument that is not UTF-8 reached the commands as
Python's surrogate escapes. Each is settled here, once, at the edge.
"""

from __future__ import annotations

import codecs
import errno
import os
import sys
from typing import Any, NoReturn

# What imgplan's own texts use beyond ASCII, and what a terminal without them shows instead.
_ASCII = {
    "…": "...", "—": "-", "–": "-", "→": "->", "←": "<-", "↑": "^", "↓": "v", "✓": "ok",
    "✔": "ok", "✗": "x", "✘": "x", "•": "*", "·": ".", "×": "x", "≤": "<=", "≥": ">=",
    "±": "+/-", "‘": "'", "’": "'", "“": '"', "”": '"', "█": "#", "▇": "#", "▆": "#",
    "▅": "#", "▄": "#", "▌": "#", "▐": "#", "■": "#", "░": ".", "▒": ":", "▓": "#", "│": "|",
    "─": "-", "━": "=", "┃": "|", "◆": "*", "◇": "o", "●": "*", "○": "o", "▶": ">", "◀": "<",
    "⚠": "!", "\u00a0": " ", "\u202f": " ",
}
_HANDLER = "imgplan-ascii"


def _fallback(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: each character the terminal cannot show, as ASCII."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    import unicodedata  # only once a character cannot be shown

    text = error.object[error.start:error.end]
    shown = []
    for char in text:
        if char in _ASCII:
            shown.append(_ASCII[char])
            continue
        folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        shown.append(folded or "?")
    return "".join(shown), error.end


# Set by Ctrl-C (SIGINT) in a run of the program. A library may turn the KeyboardInterrupt into
# an error of its own: found by the tests, pydantic-core 2.16, interrupted while it builds a
# validator in Rust, raises a PanicException; the edge still knows it was a Ctrl-C.
interrupted_by_signal = False


def _on_interrupt(signum: int, frame: Any) -> None:
    global interrupted_by_signal
    interrupted_by_signal = True
    raise KeyboardInterrupt


def prepare() -> None:
    """Ready the streams and the arguments; refuse (exit 2) an argument that is not UTF-8."""
    import signal

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when ignored
        signal.signal(signal.SIGINT, _on_interrupt)
    codecs.register_error(_HANDLER, _fallback)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if stream is not None and encoding not in ("utf8", "utf8sig") and \
                hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=_HANDLER)
    for position, argument in enumerate(sys.argv[1:], start=1):
        if _has_surrogates(argument):
            shown = os.fsencode(argument).decode("ascii", "backslashreplace")
            refuse(f"argument {position} ('{escaped(shown)}') is not UTF-8 text: type it "
                   "again, or rename the file it names")


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in text)


def escaped(text: str) -> str:
    """``text`` with control and invisible characters written as escapes, so that a name
    holding an escape sequence cannot recolour or rewrite the terminal when it is shown."""
    return "".join(_escape(char) for char in text)


def _escape(char: str) -> str:
    if char.isprintable() or char == " ":
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 \
        else f"\\U{code:08x}"


def refuse(message: str, code: int = 2) -> NoReturn:
    """One line on stderr and the exit code, before typer has started (or after it ended)."""
    _say(f"imgplan: error: {message}")
    raise SystemExit(code)


def _say(line: str) -> None:
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # no stderr either: the exit code says it
        pass


def interrupted() -> NoReturn:
    """Ctrl-C, wherever it came: one line and the shell's code for it (128 + SIGINT)."""
    _say(f"imgplan: stopped (Ctrl-C){_saved_note()}")
    _quiet_stdout()
    raise SystemExit(130)


def output_lost(exc: OSError) -> NoReturn:
    """Standard output failed (a full device, a closed pipe): end quietly, never a traceback.

    A reader that closed the pipe (``| head -1``) had what it wanted: exit 0 and nothing said.
    Any other failure is one line, and says whether the change asked for was saved, so that
    the person does not record it twice.
    """
    _quiet_stdout()
    if exc.errno == errno.EPIPE:
        raise SystemExit(0)
    reason = exc.strerror or str(exc)
    refuse(f"standard output could not be written ({reason}){_saved_note()}")


def is_output_error(exc: BaseException) -> bool:
    """Whether ``exc`` is a failure to write to standard output (not to a file: the files
    imgplan writes report their own errors, naming the file)."""
    return isinstance(exc, OSError) and exc.filename is None and exc.errno in (
        errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EBADF, errno.EDQUOT, errno.EFBIG,
        errno.ECONNRESET)


def _saved_note() -> str:
    store = sys.modules.get("imgplan.files.profile_store")
    saved = getattr(store, "saved", None) if store is not None else None
    if saved:
        return f"; the change was saved to {saved}, do not record it again"
    return ""


def _quiet_stdout() -> None:
    # What is still buffered would fail again at exit, with Python's own message.
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):
        pass


def finish(stream: Any = None) -> None:
    """Flush standard output while a failure can still be reported."""
    try:
        (stream or sys.stdout).flush()
    except OSError as exc:
        if is_output_error(exc):
            output_lost(exc)
        raise
    except (ValueError, AttributeError):  # closed or missing: nothing to flush
        pass
