"""What the programme file holds, as frozen dataclasses with their defaults, and where the project lives."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config.economics import EconomicsSettings

PROJ_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = PROJ_ROOT / "data" / "raw" / "programme.toml"

SESSION_COUNTS = (3, 4)
LEVELS = ("foundation", "advanced")
WEIGHT_KEYS = ("survey", "free_text", "interviews")
EVALUATION_WEIGHT = 0.2  # [weights].evaluation when an evaluation is given and no weight is set


@dataclass(frozen=True)
class Inputs:
    survey: Path
    codebook: Path
    interviews: Path
    survey_sheet: str | int = 0
    previous_plan: Path | None = None  # the plan.csv (or plan.xlsx) of an earlier run, for replanning
    evaluation: Path | None = None  # participants' evaluation of the delivered gatherings
    previous_survey: Path | None = None  # the export of an earlier survey wave, compared with this one
    previous_codebook: Path | None = None  # its codebook (default: the current codebook)
    previous_survey_sheet: str | int = 0


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
    thread: bool = False  # a red thread: a short slot in every gathering, besides the gathering's topics
    level: str = ""  # "foundation" (belongs early), "advanced" (belongs late) or "" (no preference)


@dataclass(frozen=True)
class Sessions:
    count: int
    slots: tuple[int, ...]
    delivered: int = 0  # gatherings already held: frozen as the previous plan had them
    titles: tuple[str, ...] = ()  # the designers' own title of each gathering (else its strongest topic's)

    def slots_for(self, count: int) -> tuple[int, ...]:
        """Slots per session for a plan with `count` sessions (the 3-versus-4 comparison)."""
        if count == self.count:
            return self.slots
        typical = max(set(self.slots), key=self.slots.count)
        return tuple([typical] * count)


@dataclass(frozen=True)
class Privacy:
    min_cell: int = 5
    names: tuple[str, ...] = ()  # extra names to replace everywhere
    write_mapping: bool = False
    places: bool = True  # replace Norwegian places (and the respondents' municipalities) in every text
    keep: tuple[str, ...] = ()  # proper nouns that are not persons and may stay (a project's name)


@dataclass(frozen=True)
class BoardSettings:
    """The case header of the board paper (saksframlegg); every field is optional and left blank for the
    secretariat to fill in when not set."""

    board: str = "Styret"  # the body that decides, e.g. "Styret i Osloregionen"
    case_number: str = ""  # saksnummer, e.g. "12/2021"
    meeting_date: str = ""  # møtedato, as written, e.g. "14. desember 2021"
    case_officer: str = ""  # saksbehandler
    author: str = "Osloregionen"  # the organisation the paper comes from


@dataclass(frozen=True)
class InterviewSettings:
    interviewers: tuple[str, ...] = ()
    skip_unreadable: bool = False  # skip (and report) transcripts that cannot be read, instead of stopping


@dataclass(frozen=True)
class PlanSettings:
    cohesion: float = 1.0  # weight of "topics that belong together share a gathering" against topic value
    sensitivity_samples: int = 100  # weight draws for the probability of being in the programme
    sensitivity_concentration: float = 20.0  # Dirichlet concentration: higher = draws closer to the weights
    # evidence floor: a topic whose score (weighted mean of z-scores over the catalogue) is below this is weak
    min_score: float = -0.5
    fill_all_slots: bool = (
        True  # false: a weak topic is placed only when a rule forces it; slots may stay open
    )
    # order of the gatherings: what a foundation topic in the first gathering (or an advanced one in the
    # last) is worth, and the weight of related topics in neighbouring gatherings (times `cohesion`)
    foundation_weight: float = 0.5
    neighbour_weight: float = 0.5
    stability: float = 0.5  # replanning: what keeping a topic where the previous plan had it is worth


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
    # more category questions to break the needs down by (e.g. whether the leader took part in the programme)
    segment_items: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeSettings:
    n_themes: int | None = None
    k_min: int = 4
    k_max: int = 14
    seed: int = 2021
    # seed terms widened by a related-terms list: True the shipped list, False none, or a file of your own
    related_terms: bool | Path = True
    review: Path | None = None  # an analyst's filled coding sheet (`python -m pipeline review` writes it)
    new_need_min_respondents: int = 5  # a new need is raised by at least this many respondents ...
    new_need_min_interviews: int = 2  # ... or in at least this many interviews
    # the sentence encoder: "e5-small" (bundled), "none" (words alone) or a model folder
    embeddings: str | Path = "e5-small"


def check_model_folder(folder: Path) -> str:
    """'' when `folder` holds a sentence encoder as `[themes].embeddings` reads it (onnx/model.onnx and
    tokenizer.json), else what is missing."""
    missing = [p for p in ("onnx/model.onnx", "tokenizer.json") if not (folder / p).is_file()]
    return f"{folder} lacks {', '.join(missing)}" if missing else ""


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
    economics: EconomicsSettings | None = None
    board: BoardSettings = BoardSettings()
    sha256: str = field(default="", compare=False)

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)
