"""The programme file: everything a programme designer may change, in one TOML file.

`load_programme` reads and validates it; every other module receives the resulting `Programme`
explicitly. Input paths inside the file are relative to the file itself, so a user can keep survey,
transcripts and programme file in a folder of their own.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

PROJ_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = PROJ_ROOT / "data" / "raw" / "programme.toml"

SESSION_COUNTS = (3, 4)
WEIGHT_KEYS = ("survey", "free_text", "interviews")


@dataclass(frozen=True)
class Inputs:
    survey: Path
    codebook: Path
    interviews: Path
    survey_sheet: str | int = 0


@dataclass(frozen=True)
class Contributor:
    id: str
    name: str
    every_session: bool = True
    max_topics: int | None = None


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    description: str
    seed_terms: tuple[str, ...]
    contributors: tuple[str, ...]
    areas: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    pinned_session: int | None = None
    excluded: bool = False


@dataclass(frozen=True)
class Sessions:
    count: int
    slots: tuple[int, ...]

    def slots_for(self, count: int) -> tuple[int, ...]:
        """Slots per session for a plan with `count` sessions (the 3-versus-4 comparison)."""
        if count == self.count:
            return self.slots
        typical = max(set(self.slots), key=self.slots.count)
        return tuple([typical] * count)


@dataclass(frozen=True)
class Privacy:
    min_cell: int = 5
    names: tuple[str, ...] = ()
    write_mapping: bool = False
    municipalities: bool = False  # also replace the respondents' municipality names in free text


@dataclass(frozen=True)
class InterviewSettings:
    interviewers: tuple[str, ...] = ()
    skip_unreadable: bool = False  # skip (and report) transcripts that cannot be read, instead of stopping


@dataclass(frozen=True)
class PlanSettings:
    cohesion: float = 1.0  # weight of "topics that belong together share a gathering" against topic value
    sensitivity_samples: int = 100  # weight draws for the probability of being in the programme
    sensitivity_concentration: float = 20.0  # Dirichlet concentration: higher = draws closer to the weights


@dataclass(frozen=True)
class NeedsSettings:
    bootstrap: int = 2000  # resamples for intervals
    confidence: float = 0.9
    seed: int = 2021
    top_n: int = 3  # "top n" for the combined priority and the probability of being among the top
    quadrant_centre: str = "mean"  # IPA crosshairs: "mean" of the areas or scale "midpoint"
    role_item: str = "role"
    span_item: str = "span"
    municipality_item: str = "municipality"
    size_item: str = ""  # a survey question giving the municipality size band directly
    format_item: str = "format"
    gatherings_item: str = "gatherings"
    wtp_item: str = "wtp"


@dataclass(frozen=True)
class ThemeSettings:
    n_themes: int | None = None
    k_min: int = 4
    k_max: int = 14
    seed: int = 2021
    # seed terms widened by a related-terms list: True the shipped list, False none, or a file of your own
    related_terms: bool | Path = True


@dataclass(frozen=True)
class Programme:
    path: Path
    name: str
    inputs: Inputs
    sessions: Sessions
    contributors: tuple[Contributor, ...]
    topics: tuple[Topic, ...]
    weights: dict[str, float]
    privacy: Privacy
    themes: ThemeSettings
    needs: NeedsSettings = NeedsSettings()
    plan: PlanSettings = PlanSettings()
    interviews: InterviewSettings = InterviewSettings()
    sha256: str = field(default="", compare=False)

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)


class _Reader:
    """Typed access to one table of the TOML document, raising ConfigError with the full key."""

    def __init__(self, path: Path, table: dict[str, Any], prefix: str):
        self.path, self.table, self.prefix = path, table, prefix

    def key(self, name: str) -> str:
        return ".".join(p for p in (self.prefix, name) if p)

    def fail(self, name: str, problem: str) -> ConfigError:
        return ConfigError(self.path, self.key(name), problem)

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if name not in self.table:
            if default is ...:
                raise self.fail(name, "is required but missing.")
            return default
        value = self.table[name]
        if isinstance(value, bool) and kind in (int, float):
            raise self.fail(name, f"must be a number, not {value!r}.")
        if kind is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, kind):
            raise self.fail(name, f"must be {_kind_name(kind)}, not {value!r}.")
        return value

    def text(self, name: str, default: Any = ...) -> str:
        value = self.get(name, str, default)
        if isinstance(value, str) and not value.strip() and default is ...:
            raise self.fail(name, "must not be empty.")
        return value

    def texts(self, name: str, default: Any = ...) -> tuple[str, ...]:
        value = self.get(name, list, default)
        if not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(name, "must be a list of non-empty strings.")
        return tuple(value)

    def table_of(self, name: str, required: bool = True) -> _Reader:
        return _Reader(self.path, self.get(name, dict, ... if required else {}), self.key(name))


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


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
    root = _Reader(path, doc, "")
    programme = Programme(
        path=path,
        name=root.table_of("programme", False).text("name", "Lederprogram"),
        inputs=_inputs(root.table_of("inputs"), path.parent),
        sessions=_sessions(root.table_of("sessions")),
        contributors=_contributors(root),
        topics=(),
        weights=_weights(root.table_of("weights", False)),
        privacy=_privacy(root.table_of("privacy", False)),
        themes=_theme_settings(root.table_of("themes", False), path.parent),
        needs=_needs_settings(root.table_of("needs", False)),
        plan=_plan_settings(root.table_of("plan", False)),
        interviews=_interview_settings(root.table_of("interviews", False)),
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
    )
    topics = _topics(root, programme)
    return Programme(**{**programme.__dict__, "topics": topics})


def _inputs(r: _Reader, base: Path) -> Inputs:
    def existing(name: str, want_dir: bool) -> Path:
        p = (base / r.text(name)).resolve()
        if want_dir and not p.is_dir():
            raise r.fail(name, f"folder {p} does not exist. Paths are relative to the programme file.")
        if not want_dir and not p.is_file():
            raise r.fail(name, f"file {p} does not exist. Paths are relative to the programme file.")
        return p

    sheet = r.get("survey_sheet", (str, int), 0)
    return Inputs(existing("survey", False), existing("codebook", False), existing("interviews", True), sheet)


def _sessions(r: _Reader) -> Sessions:
    count = r.get("count", int)
    if count not in SESSION_COUNTS:
        raise r.fail("count", f"must be 3 or 4 gatherings, not {count}.")
    slots = r.get("slots", (int, list))
    if isinstance(slots, int):
        slots = [slots] * count
    if len(slots) != count or not all(isinstance(s, int) and not isinstance(s, bool) for s in slots):
        raise r.fail("slots", f"must be one integer or a list of {count} integers (one per gathering).")
    if any(s < 1 or s > 12 for s in slots):
        raise r.fail("slots", "each gathering needs between 1 and 12 topic slots.")
    return Sessions(count, tuple(slots))


def _contributors(root: _Reader) -> tuple[Contributor, ...]:
    items = root.get("contributors", list)
    if not items:
        raise root.fail("contributors", "list at least one contributor ([[contributors]] with id and name).")
    out, seen = [], set()
    for i, item in enumerate(items):
        r = _Reader(root.path, item if isinstance(item, dict) else {}, f"contributors[{i}]")
        cid = r.text("id")
        if cid in seen:
            raise r.fail("id", f"duplicate contributor id '{cid}'.")
        seen.add(cid)
        max_topics = r.get("max_topics", int, None)
        if max_topics is not None and max_topics < 1:
            raise r.fail("max_topics", "must be at least 1 (leave it out for no limit).")
        out.append(Contributor(cid, r.text("name"), r.get("every_session", bool, True), max_topics))
    return tuple(out)


def _topics(root: _Reader, programme: Programme) -> tuple[Topic, ...]:
    items = root.get("topics", list)
    known_contributors = {c.id for c in programme.contributors}
    out: list[Topic] = []
    for i, item in enumerate(items):
        r = _Reader(root.path, item if isinstance(item, dict) else {}, f"topics[{i}]")
        tid = r.text("id")
        if any(t.id == tid for t in out):
            raise r.fail("id", f"duplicate topic id '{tid}'.")
        contributors = r.texts("contributors")
        unknown = [c for c in contributors if c not in known_contributors]
        if not contributors or unknown:
            raise r.fail(
                "contributors",
                f"unknown contributor {unknown or '(none)'}; known: {', '.join(sorted(known_contributors))}.",
            )
        pinned = r.get("pinned_session", int, None)
        if pinned is not None and not 1 <= pinned <= programme.sessions.count:
            raise r.fail("pinned_session", f"must be between 1 and {programme.sessions.count}.")
        seed_terms = r.texts("seed_terms")
        if not seed_terms:
            raise r.fail("seed_terms", "list at least one seed term so evidence can be matched to the topic.")
        out.append(
            Topic(
                id=tid,
                title=r.text("title"),
                description=r.text("description", ""),
                seed_terms=tuple(s.lower() for s in seed_terms),
                contributors=contributors,
                areas=r.texts("areas", ()),
                requires=r.texts("requires", ()),
                pinned_session=pinned,
                excluded=r.get("excluded", bool, False),
            )
        )
    if len(out) < 2:
        raise root.fail("topics", "the catalogue needs at least two topics.")
    ids = {t.id for t in out}
    for i, t in enumerate(out):
        missing = [q for q in t.requires if q not in ids]
        if missing:
            raise ConfigError(root.path, f"topics[{i}].requires", f"unknown topic {missing}.")
    return tuple(out)


def _weights(r: _Reader) -> dict[str, float]:
    unknown = sorted(set(r.table) - set(WEIGHT_KEYS))
    if unknown:
        raise r.fail(unknown[0], f"unknown weight; use {', '.join(WEIGHT_KEYS)}.")
    weights = {k: r.get(k, float, 1.0) for k in WEIGHT_KEYS}
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise r.fail("", "weights must be non-negative and not all zero.")
    return weights


def _privacy(r: _Reader) -> Privacy:
    min_cell = r.get("min_cell", int, 5)
    if min_cell < 1:
        raise r.fail("min_cell", "must be at least 1 (default 5).")
    return Privacy(
        min_cell,
        r.texts("names", ()),
        r.get("write_mapping", bool, False),
        r.get("municipalities", bool, False),
    )


def _interview_settings(r: _Reader) -> InterviewSettings:
    d = InterviewSettings()
    return InterviewSettings(
        r.texts("interviewers", d.interviewers), r.get("skip_unreadable", bool, d.skip_unreadable)
    )


def _needs_settings(r: _Reader) -> NeedsSettings:
    d = NeedsSettings()
    known = set(d.__dataclass_fields__)
    unknown = sorted(set(r.table) - known)
    if unknown:
        raise r.fail(unknown[0], "unknown key; known: " + ", ".join(sorted(known)) + ".")
    bootstrap = r.get("bootstrap", int, d.bootstrap)
    if bootstrap < 200:
        raise r.fail("bootstrap", "use at least 200 resamples (2000 or more for reported intervals).")
    confidence = r.get("confidence", float, d.confidence)
    if not 0.5 <= confidence < 1:
        raise r.fail("confidence", "must be between 0.5 and 1, e.g. 0.9.")
    centre = r.text("quadrant_centre", d.quadrant_centre)
    if centre not in ("mean", "midpoint"):
        raise r.fail("quadrant_centre", "must be 'mean' or 'midpoint'.")
    top_n = r.get("top_n", int, d.top_n)
    if top_n < 1:
        raise r.fail("top_n", "must be at least 1.")
    items = {k: r.text(k, getattr(d, k)) for k in known if k.endswith("_item")}
    return NeedsSettings(bootstrap, confidence, r.get("seed", int, d.seed), top_n, centre, **items)


def _plan_settings(r: _Reader) -> PlanSettings:
    unknown = sorted(set(r.table) - set(PlanSettings.__dataclass_fields__))
    if unknown:
        raise r.fail(
            unknown[0], "unknown key; known: cohesion, sensitivity_samples, sensitivity_concentration."
        )
    d = PlanSettings()
    cohesion = r.get("cohesion", float, d.cohesion)
    if cohesion < 0:
        raise r.fail("cohesion", "must be 0 or more (0: ignore which topics belong together).")
    samples = r.get("sensitivity_samples", int, d.sensitivity_samples)
    if samples < 0:
        raise r.fail("sensitivity_samples", "must be 0 (no sensitivity analysis) or more.")
    concentration = r.get("sensitivity_concentration", float, d.sensitivity_concentration)
    if concentration <= 0:
        raise r.fail("sensitivity_concentration", "must be positive, e.g. 20.")
    return PlanSettings(cohesion, samples, concentration)


def _theme_settings(r: _Reader, base: Path) -> ThemeSettings:
    d = ThemeSettings()
    related = r.get("related_terms", (bool, str), d.related_terms)
    if isinstance(related, str):
        related = (base / related).resolve()
        if not related.is_file():
            raise r.fail(
                "related_terms",
                f"file {related} does not exist. Give a path relative to the programme file, true for the "
                "shipped list or false for none.",
            )
    k_min, k_max = r.get("k_min", int, d.k_min), r.get("k_max", int, d.k_max)
    if not 2 <= k_min <= k_max:
        raise r.fail("k_min", f"need 2 <= k_min <= k_max, got {k_min} and {k_max}.")
    n = r.get("n_themes", int, None)
    if n is not None and n < 2:
        raise r.fail("n_themes", "must be at least 2 (leave it out to choose automatically).")
    return ThemeSettings(n, k_min, k_max, r.get("seed", int, d.seed), related)
