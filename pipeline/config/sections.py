"""One parser per table of the programme file (`[inputs]`, `[sessions]`, `[[topics]]`, ...): each reads its
table through a `Reader`, validates it and returns its settings."""

from __future__ import annotations

import filecmp
from pathlib import Path

from pipeline.config.models import (
    EVALUATION_WEIGHT,
    LEVELS,
    SESSION_COUNTS,
    WEIGHT_KEYS,
    BoardSettings,
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
    check_model_folder,
)
from pipeline.config.reader import Reader
from pipeline.errors import ConfigError

TOPIC_KEYS = {
    "id",
    "title",
    "description",
    "seed_terms",
    "contributors",
    "areas",
    "requires",
    "pinned_session",
    "excluded",
    "thread",
    "level",
}
CONTRIBUTOR_KEYS = {"id", "name", "every_session", "max_topics"}


def inside(r: Reader, name: str, base: Path, value: str) -> Path:
    """A path of the programme file, resolved against its folder; one that leaves the folder (`../..`, an
    absolute path elsewhere) is refused: a run's inputs are the programme file's folder, which is also what
    `make` watches for changes."""
    path = (base / value).resolve()
    if not path.is_relative_to(base.resolve()):
        raise r.fail(
            name,
            f"'{value}' is outside the programme file's folder {base}. Copy it into that folder (or below) "
            "and give its path relative to the programme file.",
        )
    return path


def inputs(r: Reader, base: Path) -> Inputs:
    r.refuse_unknown(
        {
            "survey",
            "codebook",
            "interviews",
            "survey_sheet",
            "previous_plan",
            "evaluation",
            "previous_survey",
            "previous_codebook",
            "previous_survey_sheet",
        }
    )

    def existing(name: str, want_dir: bool) -> Path:
        p = inside(r, name, base, r.text(name))
        if want_dir and not p.is_dir():
            raise r.fail(name, f"folder {p} does not exist. Paths are relative to the programme file.")
        if not want_dir and not p.is_file():
            raise r.fail(name, f"file {p} does not exist. Paths are relative to the programme file.")
        return p

    sheet = r.get("survey_sheet", (str, int), 0)
    optional = {
        k: existing(k, False) if k in r.table else None
        for k in ("previous_plan", "evaluation", "previous_survey", "previous_codebook")
    }
    survey, codebook = existing("survey", False), existing("codebook", False)
    previous = optional["previous_survey"]
    if previous is None and (optional["previous_codebook"] or "previous_survey_sheet" in r.table):
        key = "previous_codebook" if optional["previous_codebook"] else "previous_survey_sheet"
        raise r.fail(
            key, "belongs to a previous wave: set previous_survey (its export) as well, or remove it."
        )
    if previous is not None and filecmp.cmp(previous, survey, shallow=False):
        raise r.fail(
            "previous_survey",
            f"{previous.name} is the same export as survey ({survey.name}): the previous wave must be the "
            "earlier survey's own export.",
        )
    if previous is not None and optional["previous_codebook"] is None:
        optional["previous_codebook"] = codebook  # the same questions, asked again
    return Inputs(
        survey,
        codebook,
        existing("interviews", True),
        sheet,
        previous_survey_sheet=r.get("previous_survey_sheet", (str, int), 0),
        **optional,
    )


def sessions(r: Reader) -> Sessions:
    r.refuse_unknown({"count", "slots", "delivered", "titles"})
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
    delivered = r.get("delivered", int, 0)
    if not 0 <= delivered < count:
        raise r.fail("delivered", f"must be between 0 and {count - 1} (gatherings already held of {count}).")
    titles = r.get("titles", list, [])
    if titles and (len(titles) != count or not all(isinstance(t, str) and t.strip() for t in titles)):
        raise r.fail("titles", f"must be a list of {count} titles, one per gathering, none of them empty.")
    return Sessions(count, tuple(slots), delivered, tuple(t.strip() for t in titles))


def contributors(root: Reader) -> tuple[Contributor, ...]:
    items = root.get("contributors", list)
    if not items:
        raise root.fail("contributors", "list at least one contributor ([[contributors]] with id and name).")
    out, seen = [], set()
    for i, item in enumerate(items):
        r = table_item(root, "contributors", i, item)
        r.refuse_unknown(CONTRIBUTOR_KEYS)
        cid = r.text("id")
        if cid in seen:
            raise r.fail("id", f"duplicate contributor id '{cid}'.")
        seen.add(cid)
        max_topics = r.get("max_topics", int, None)
        if max_topics is not None and max_topics < 1:
            raise r.fail("max_topics", "must be at least 1 (leave it out for no limit).")
        out.append(Contributor(cid, r.text("name"), r.get("every_session", bool, True), max_topics))
    return tuple(out)


def topics(root: Reader, programme: Programme) -> tuple[Topic, ...]:
    items = root.get("topics", list)
    known_contributors = {c.id for c in programme.contributors}
    out: list[Topic] = []
    for i, item in enumerate(items):
        r = table_item(root, "topics", i, item)
        r.refuse_unknown(TOPIC_KEYS)
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
                thread=r.get("thread", bool, False),
                level=r.text("level", ""),
            )
        )
        if out[-1].level not in ("", *LEVELS):
            raise r.fail("level", f"must be one of {', '.join(LEVELS)} (or left out), not '{out[-1].level}'.")
        if out[-1].thread and (pinned is not None or out[-1].requires):
            raise r.fail(
                "thread",
                "a thread topic runs through every gathering, so it cannot be pinned to one or require "
                "another topic. Remove pinned_session/requires, or thread.",
            )
    if len(out) < 2:
        raise root.fail("topics", "the catalogue needs at least two topics.")
    ids = {t.id for t in out}
    for i, t in enumerate(out):
        missing = [q for q in t.requires if q not in ids]
        if missing:
            raise ConfigError(root.path, f"topics[{i}].requires", f"unknown topic {missing}.")
    cycle = requires_cycle(out)
    if cycle:
        first = next(i for i, t in enumerate(out) if t.id == cycle[0])
        raise ConfigError(
            root.path,
            f"topics[{first}].requires",
            f"topics require each other in a circle ({' → '.join(cycle)}), so neither can come before "
            "the other. Remove one of the requirements.",
        )
    return tuple(out)


def table_item(root: Reader, name: str, i: int, item: object) -> Reader:
    """The i-th table of an array of tables ([[topics]], [[contributors]])."""
    if not isinstance(item, dict):
        raise root.fail(f"{name}[{i}]", f"must be a table ([[{name}]] with keys), not {item!r}.")
    return Reader(root.path, item, f"{name}[{i}]")


def requires_cycle(topics: list[Topic]) -> list[str]:
    """The first circle of `requires` between topics (['a', 'b', 'a']), or [] when there is none."""
    needs = {t.id: t.requires for t in topics}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(tid: str, path: list[str]) -> list[str]:
        state[tid] = 1
        for other in needs.get(tid, ()):
            if state.get(other) == 1:
                return [*path[path.index(other) :], other] if other in path else [tid, other]
            if other not in state:
                found = visit(other, [*path, other])
                if found:
                    return found
        state[tid] = 2
        return []

    for t in topics:
        if t.id not in state:
            found = visit(t.id, [t.id])
            if found:
                return found
    return []


def weights(r: Reader, evaluation: bool = False) -> dict[str, float]:
    """The evidence weights; `evaluation` (an evaluation input is given) adds the evaluation's weight."""
    r.refuse_unknown(set(WEIGHT_KEYS) | {"evaluation"})
    if "evaluation" in r.table and not evaluation:
        raise r.fail(
            "evaluation", "weighs an evaluation, but [inputs].evaluation is not set. Set it, or remove this."
        )
    weights = {k: r.get(k, float, 1.0) for k in WEIGHT_KEYS}
    if evaluation:
        weights["evaluation"] = r.get("evaluation", float, EVALUATION_WEIGHT)
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise r.fail("", "weights must be non-negative and not all zero.")
    return weights


def privacy(r: Reader) -> Privacy:
    d = Privacy()
    r.refuse_unknown(set(d.__dataclass_fields__) | {"municipalities"})
    if "municipalities" in r.table:
        raise r.fail(
            "municipalities",
            "is replaced by [privacy].places (default true: every Norwegian place and the respondents' "
            "municipalities are replaced). Remove the key, or set places = false to keep place names.",
        )
    min_cell = r.get("min_cell", int, d.min_cell)
    if min_cell < 1:
        raise r.fail("min_cell", "must be at least 1 (default 5).")
    return Privacy(
        min_cell,
        r.texts("names", ()),
        r.get("write_mapping", bool, d.write_mapping),
        r.get("places", bool, d.places),
        r.texts("keep", ()),
    )


def board_settings(r: Reader) -> BoardSettings:
    d = BoardSettings()
    r.refuse_unknown(set(d.__dataclass_fields__))
    return BoardSettings(**{k: r.text(k, getattr(d, k)) for k in d.__dataclass_fields__})


def interview_settings(r: Reader) -> InterviewSettings:
    d = InterviewSettings()
    r.refuse_unknown(set(d.__dataclass_fields__))
    return InterviewSettings(
        r.texts("interviewers", d.interviewers), r.get("skip_unreadable", bool, d.skip_unreadable)
    )


def needs_settings(r: Reader) -> NeedsSettings:
    d = NeedsSettings()
    known = set(d.__dataclass_fields__)
    r.refuse_unknown(known)
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
    segment_items = r.texts("segment_items", d.segment_items)
    taken = {items["role_item"], items["span_item"], "size_band"}
    for item in segment_items:
        if item in taken:
            raise r.fail("segment_items", f"'{item}' is already a breakdown; list only other questions.")
    return NeedsSettings(
        bootstrap, confidence, r.get("seed", int, d.seed), top_n, centre, segment_items=segment_items, **items
    )


def plan_settings(r: Reader) -> PlanSettings:
    r.refuse_unknown(set(PlanSettings.__dataclass_fields__))
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
    min_score = r.get("min_score", float, d.min_score)
    order = {}
    for key in ("foundation_weight", "neighbour_weight"):
        order[key] = r.get(key, float, getattr(d, key))
        if order[key] < 0:
            raise r.fail(key, "must be 0 (ignore) or more.")
    stability = r.get("stability", float, d.stability)
    if stability < 0:
        raise r.fail("stability", "must be 0 (a new plan may move anything) or more.")
    return PlanSettings(
        cohesion,
        samples,
        concentration,
        min_score,
        r.get("fill_all_slots", bool, d.fill_all_slots),
        **order,
        stability=stability,
    )


def theme_settings(r: Reader, base: Path) -> ThemeSettings:
    d = ThemeSettings()
    r.refuse_unknown(set(d.__dataclass_fields__))
    related = r.get("related_terms", (bool, str), d.related_terms)
    if isinstance(related, str):
        related = inside(r, "related_terms", base, related)
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
    review = r.get("review", str, None)
    if review is not None:
        review = inside(r, "review", base, review)
        if review.suffix.lower() != ".xlsx":
            raise r.fail("review", "must be an .xlsx coding sheet (written by `python -m pipeline review`).")
    minimum = {}
    for key in ("new_need_min_respondents", "new_need_min_interviews"):
        minimum[key] = r.get(key, int, getattr(d, key))
        if minimum[key] < 1:
            raise r.fail(key, "must be at least 1.")
    embeddings = r.get("embeddings", str, d.embeddings)
    if embeddings not in ("e5-small", "none"):
        folder = Path(embeddings).expanduser()
        folder = folder if folder.is_absolute() else (base / folder).resolve()
        if not folder.is_dir():
            raise r.fail(
                "embeddings",
                f'\'{embeddings}\' is neither "e5-small", "none" nor a model folder ({folder} does not '
                "exist).",
            )
        problem = check_model_folder(folder)
        if problem:
            raise r.fail("embeddings", f"{problem}: a model folder holds onnx/model.onnx and tokenizer.json.")
        embeddings = folder
    return ThemeSettings(
        n, k_min, k_max, r.get("seed", int, d.seed), related, review, **minimum, embeddings=embeddings
    )


def replanning(root: Reader, programme: Programme) -> None:
    """Settings that only make sense together: delivered gatherings follow a previous plan, and an
    evaluation is of delivered gatherings."""
    delivered, inputs = programme.sessions.delivered, programme.inputs
    if delivered and inputs.previous_plan is None:
        raise ConfigError(
            root.path,
            "sessions.delivered",
            f"{delivered} gatherings are held, but [inputs].previous_plan is not set. Give the plan they "
            "followed (the plan.csv or plan.xlsx of an earlier run, copied into the programme folder).",
        )
    if inputs.evaluation is not None and not delivered:
        raise ConfigError(
            root.path,
            "inputs.evaluation",
            "an evaluation is of delivered gatherings, but [sessions].delivered is 0. Set how many are held.",
        )
