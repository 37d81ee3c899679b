"""The one error type users see.

Every failure a user can cause is raised as :class:`PubkitError`, which the CLI prints as a
single line naming the file, the place in it, what is wrong and how to fix it.
"""

from __future__ import annotations

from pathlib import Path


class PubkitError(Exception):
    """A user-facing error: ``file:line: key: problem (fix)``."""

    def __init__(self, problem: str, *, file: Path | str | None = None, line: int | None = None,
                 key: str | None = None, fix: str | None = None):
        self.problem = problem
        self.file = _shown(Path(file)) if file is not None else None
        self.line = line
        self.key = key
        self.fix = fix
        super().__init__(self.one_line())

    def __reduce__(self):  # keeps every field when raised in a worker process
        return (_rebuild, (self.problem, self.file, self.line, self.key, self.fix))

    def one_line(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        key = f"{self.key}: " if self.key else ""
        fix = f" — {self.fix}" if self.fix else ""
        return f"{where}{key}{self.problem}{fix}"


def _rebuild(problem, file, line, key, fix) -> PubkitError:
    error = PubkitError(problem, line=line, key=key, fix=fix)
    error.file = file
    error.args = (error.one_line(),)
    return error


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        here = Path.cwd().resolve()
        try:
            full = path.resolve()
        except (OSError, RuntimeError):  # a symbolic link loop (RuntimeError up to Python 3.12)
            full = path.absolute()
        return str(full.relative_to(here))
    except (ValueError, OSError):
        return str(path)
