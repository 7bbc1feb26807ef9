"""Domain exceptions. Their messages are written for the person who runs the pipeline: they name the
file, the row and the column where that applies, and say what to do. The CLI prints them without a
traceback."""

from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """Base class of every error the CLI reports as a one-line message."""


class ConfigError(PipelineError):
    """The programme file is missing, unreadable or invalid."""

    def __init__(self, path: Path | str, key: str, problem: str):
        self.path, self.key, self.problem = Path(path), key, problem
        where = f"{self.path}: {key}: " if key else f"{self.path}: "
        super().__init__(where + problem)


class InputError(PipelineError):
    """An input file (survey export, codebook, transcript) cannot be used as it is."""

    def __init__(
        self,
        path: Path | str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ):
        self.path, self.row, self.column, self.problem, self.hint = Path(path), row, column, problem, hint
        parts = [str(self.path)]
        if row is not None:
            parts.append(f"row {row}")
        if column is not None:
            parts.append(f"column '{column}'")
        message = ", ".join(parts) + f": {problem}"
        if hint:
            message += f" {hint}"
        super().__init__(message)


class StageOrderError(PipelineError):
    """A stage was run before the stage whose outputs it reads."""


class WorkdirError(PipelineError):
    """The work dir cannot be used: a file where a folder is wanted, or another run is writing there."""


class PlanInfeasibleError(PipelineError):
    """The programme file's constraints cannot all be met."""
