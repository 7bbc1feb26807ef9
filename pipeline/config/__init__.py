"""The programme file: everything a programme designer may change, in one TOML file.

`load_programme` reads and validates it; every other module receives the resulting `Programme`
explicitly. Input paths inside the file are relative to the file itself, so a user can keep survey,
transcripts and programme file in a folder of their own.

- `models`: the settings as frozen dataclasses with their defaults; `PROJ_ROOT`, `DEFAULT_CONFIG`.
- `reader`: typed access to a TOML table, unknown keys refused with a suggestion.
- `sections`: one parser per table.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from pipeline.config import sections
from pipeline.config.economics import Cost, EconomicsSettings, economics_settings
from pipeline.config.models import (
    DEFAULT_CONFIG,
    PROJ_ROOT,
    SESSION_COUNTS,
    WEIGHT_KEYS,
    Contributor,
    Inputs,
    InterviewSettings,
    NeedsSettings,
    PlanSettings,
    Privacy,
    Programme,
    Sessions,
    ThemeSettings,
    Topic,
)
from pipeline.config.reader import Reader
from pipeline.errors import ConfigError

__all__ = [
    "Cost",
    "EconomicsSettings",
    "DEFAULT_CONFIG",
    "PROJ_ROOT",
    "SESSION_COUNTS",
    "WEIGHT_KEYS",
    "Contributor",
    "Inputs",
    "InterviewSettings",
    "NeedsSettings",
    "PlanSettings",
    "Privacy",
    "Programme",
    "Sessions",
    "ThemeSettings",
    "Topic",
    "load_programme",
]


TABLES = (
    "programme",
    "inputs",
    "sessions",
    "contributors",
    "topics",
    "weights",
    "privacy",
    "themes",
    "needs",
    "plan",
    "interviews",
    "economics",
    "board",
)


def programme_name(r: Reader) -> str:
    r.refuse_unknown({"name"})
    return r.text("name", "Lederprogram")


def load_programme(path: Path | str) -> Programme:
    """Read and validate the programme file; paths in it are resolved relative to the file."""
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise ConfigError(path, "", "programme file not found. Pass an existing file with --config.")
    raw_bytes = path.read_bytes()
    try:
        doc = tomllib.loads(raw_bytes.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(path, "", "is not UTF-8 text. Save the programme file as UTF-8.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"is not valid TOML ({exc}). Fix the syntax at that line.") from exc
    root = Reader(path, doc, "")
    root.refuse_unknown(set(TABLES), "table")
    programme = Programme(
        path=path,
        name=programme_name(root.table_of("programme", False)),
        inputs=sections.inputs(root.table_of("inputs"), path.parent),
        sessions=sections.sessions(root.table_of("sessions")),
        contributors=sections.contributors(root),
        topics=(),
        weights=sections.weights(root.table_of("weights", False), "evaluation" in doc.get("inputs", {})),
        privacy=sections.privacy(root.table_of("privacy", False)),
        themes=sections.theme_settings(root.table_of("themes", False), path.parent),
        needs=sections.needs_settings(root.table_of("needs", False)),
        plan=sections.plan_settings(root.table_of("plan", False)),
        interviews=sections.interview_settings(root.table_of("interviews", False)),
        board=sections.board_settings(root.table_of("board", False)),
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
    )
    topics = sections.topics(root, programme)
    economics = economics_settings(root, {c.id for c in programme.contributors})
    sections.replanning(root, programme)
    return Programme(**{**programme.__dict__, "topics": topics, "economics": economics})
