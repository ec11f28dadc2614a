"""The errors a person can cause, each with its exit code and a one-line message.

The command edge (``imgplan.cli``) turns any ``ImgplanError`` into one line on stderr and its
exit code, once; everything below the edge raises and never prints.
"""

from __future__ import annotations

from pathlib import Path

# A value a person typed is repeated in the message that refuses it, but only so much of it:
# found by the fault review, a 5,000-digit --match came back as one line of 5 KB.
QUOTED_CHARS = 40


def quoted(value: object) -> str:
    """``value`` in quotes for a message, cut to its first characters when long."""
    text = str(value)
    return f"'{text}'" if len(text) <= QUOTED_CHARS else f"'{text[:QUOTED_CHARS - 8]}…'"


class ImgplanError(Exception):
    """Base of every error meant for a person rather than a developer."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        field: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.field = field
        self.line = line
        self.column = column
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{field}{self.message}{hint}"


class UsageError(ImgplanError):
    """A bad command-line value: a date, a Match year, an id."""


class RulesError(ImgplanError):
    """The rules file cannot be read or does not hold a usable pathway."""


class ProfileError(ImgplanError):
    """The profile cannot be read, is damaged, or a change to it would make it invalid."""


class StoreError(ImgplanError):
    """The profile could not be written (permissions, full disk); nothing was changed."""
