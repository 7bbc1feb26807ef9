"""Theme discovery measured against labels, beside plain baselines run on the same data.

Datasets: (a) the sample's planted themes: every substantive survey answer and informant passage with its
planted themes (a document's first-listed theme is its label for NMI/ARI; `single` = the documents with one
planted theme only); (b) SIB-200 Norwegian bokmål (7 topics, 1,004 sentences) from ../shared/data, skipped
with a note when absent. Every method runs with k set to the true number and, where it can, chosen
automatically; the mean over 3 seeds is shown.

Guided assignment: the planted themes' seed terms (benchmarks/planted_seeds.py, written from THEMES.md), alone
and widened by the shipped related terms (pipeline/resources/related_terms_no.txt, written without seeing the
sample), matched and spread over the graph; micro-F1 of the documents' assigned themes against their planted
themes.

Scale: 1,000 / 10,000 / 100,000 survey answers from the sample generator through the theme stage's model and
guided mapping, one process each: time and peak memory."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import NMF, LatentDirichletAllocation, TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, f1_score, normalized_mutual_info_score
from sklearn.preprocessing import normalize

from benchmarks.child import run_in_child
from benchmarks.planted_seeds import PLANTED_SEEDS
from pipeline.config import Topic
from pipeline.text import build_analyzer, build_preprocessor
from pipeline.themes import ThemeModel, map_to_catalogue

SEEDS = (0, 1, 2)
CACHE = Path(tempfile.gettempdir()) / "pipeline-bench-embeddings.parquet"  # the bench's own, between runs


def encode(texts: list[str]) -> np.ndarray | None:
    """The default encoder's embeddings of `texts` (None where it cannot run here)."""
    from pipeline.themes.embedding_cache import embed_texts
    from pipeline.themes.encoder import load_encoder

    encoder = load_encoder("e5-small")
    return None if encoder is None else embed_texts(encoder, texts, CACHE)


def topic_vectors(topics: list[Topic]) -> np.ndarray | None:
    from pipeline.themes import topic_text

    return encode([topic_text(t) for t in topics])


def with_meaning(
    texts: list[str], topics: list[Topic], k: int, unit: str
) -> tuple[ThemeModel | None, np.ndarray | None, list[tuple[str, np.ndarray]]]:
    """The pipeline with the encoder on labelled data: (the model fitted with embeddings, the topics'
    embeddings, the rows of the guided table: the zero-shot baseline and the new default); (None, None, [])
    where the encoder cannot run here. `unit`: what a row of the data is, for the table."""
    embeddings, vectors = encode(texts), topic_vectors(topics)
    if embeddings is None:
        return None, None, []
    meant = ThemeModel(n_themes=k, random_state=2021).fit(texts, embeddings=embeddings)
    mapped = map_to_catalogue(meant, texts, topics, True, topic_embeddings=vectors)
    zero_shot = mapped.meaning == mapped.meaning.max(axis=1)[:, None]
    return (
        meant,
        vectors,
        [
            (f"baseline: zero-shot, each {unit} to its most similar topic", zero_shot),
            ("new: seed matches it means, then spread + semantic (default)", mapped.assigned),
        ],
    )


def sample_documents(config_dir: Path, truth_dir: Path) -> pd.DataFrame:
    """Substantive answers and informant passages of the sample with their planted themes."""
    import tempfile
    from dataclasses import replace

    from pipeline.config import load_programme
    from pipeline.stages import STAGES
    from pipeline.store import Store
    from pipeline.themes import collect_documents

    programme = load_programme(config_dir / "programme.toml")
    # the ground truth knows the survey tool's ids: ingest writes the mapping to project ids when asked
    programme = replace(programme, privacy=replace(programme.privacy, write_mapping=True))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        STAGES["ingest"](programme, store)
        docs, _non = collect_documents(store.read("free_text"), store.read("turns"))
        ids = pd.read_csv(store.private / "respondent_ids.csv", dtype=str)
    docs = docs.assign(
        respondent_id=docs["respondent_id"].map(dict(zip(ids["project_id"], ids["survey_id"], strict=True)))
    )
    answers = pd.read_csv(truth_dir / "answers.csv", dtype=str, keep_default_na=False)
    turns = pd.read_csv(truth_dir / "interview_turns.csv", dtype=str, keep_default_na=False)
    turns["turn"] = turns["turn"].astype(int)
    survey = docs[docs["source"] == "survey"].merge(
        answers[["respondent_id", "question", "themes"]], on=["respondent_id", "question"], how="left"
    )
    interview = (
        docs[docs["source"] == "interview"]
        .assign(turn=lambda d: d["turn"].astype(int))
        .merge(turns[["interview_id", "turn", "themes"]], on=["interview_id", "turn"], how="left")
    )
    out = pd.concat([survey, interview], ignore_index=True)
    return out[out["themes"].fillna("") != ""].reset_index(drop=True)


# ------------------------------------------------------------------------------------------ baselines
def _word_tfidf(texts: list[str]) -> object:
    return TfidfVectorizer(analyzer=build_analyzer(), min_df=2, sublinear_tf=True).fit_transform(texts)


def _char_tfidf(texts: list[str]) -> object:
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True, preprocessor=build_preprocessor()
    ).fit_transform(texts)


def baselines(texts: list[str], k: int, seed: int) -> dict[str, np.ndarray]:
    word, char = _word_tfidf(texts), _char_tfidf(texts)
    out = {"TF-IDF + k-means": KMeans(k, n_init=10, random_state=seed).fit_predict(normalize(word))}
    for name, X in (("LSA + k-means", word), ("LSA + k-means, char 3-5", char)):
        Z = normalize(TruncatedSVD(min(100, X.shape[1] - 1), random_state=seed).fit_transform(X))
        out[name] = KMeans(k, n_init=10, random_state=seed).fit_predict(Z)
    for name, X in (("NMF", word), ("NMF, char 3-5", char)):
        out[name] = NMF(k, init="nndsvda", random_state=seed, max_iter=400).fit_transform(X).argmax(axis=1)
    counts = CountVectorizer(analyzer=build_analyzer(), min_df=2).fit_transform(texts)
    out["LDA"] = LatentDirichletAllocation(k, random_state=seed).fit_transform(counts).argmax(axis=1)
    return out


def ours(
    texts: list[str],
    k: int | None,
    seed: int,
    k_range: tuple[int, int],
    char_weight: float = 2.0,
    embeddings: np.ndarray | None = None,
    embedding_weight: float = 0.5,
) -> tuple[np.ndarray, int]:
    model = ThemeModel(
        n_themes=k,
        k_range=k_range,
        random_state=seed,
        char_weight=char_weight,
        embedding_weight=embedding_weight,
    ).fit(texts, embeddings=embeddings)
    return model.labels_, model.n_themes_


def compare(
    texts: list[str],
    labels: np.ndarray,
    k_true: int,
    k_range: tuple[int, int],
    subsets: dict[str, np.ndarray],
) -> pd.DataFrame:
    rows = []

    def score(method: str, k: str, predictions: list[np.ndarray]) -> None:
        for subset, mask in subsets.items():
            rows.append(
                {
                    "method": method,
                    "k": k,
                    "docs": subset,
                    "NMI": np.mean(
                        [normalized_mutual_info_score(labels[mask], p[mask]) for p in predictions]
                    ),
                    "ARI": np.mean([adjusted_rand_score(labels[mask], p[mask]) for p in predictions]),
                }
            )

    runs = [baselines(texts, k_true, s) for s in SEEDS]
    for method in runs[0]:
        score(method, str(k_true), [r[method] for r in runs])
    for weight, name in ((0.0, "words only"), (1.0, "words + char x1"), (2.0, "words + char x2 (default)")):
        score(
            f"ours: kNN spectral, {name}",
            str(k_true),
            [ours(texts, k_true, s, k_range, weight)[0] for s in SEEDS],
        )
    auto = [ours(texts, None, s, k_range) for s in SEEDS]
    score("ours, words alone (today)", "auto " + "/".join(str(k) for _l, k in auto), [a[0] for a in auto])
    embeddings = encode(texts)
    if embeddings is not None:
        score(
            "embeddings alone, kNN spectral (baseline)",
            str(k_true),
            [ours(texts, k_true, s, k_range, embeddings=embeddings, embedding_weight=1.0)[0] for s in SEEDS],
        )
        score(
            "ours: words + embeddings, graphs added (new default)",
            str(k_true),
            [ours(texts, k_true, s, k_range, embeddings=embeddings)[0] for s in SEEDS],
        )
        auto = [ours(texts, None, s, k_range, embeddings=embeddings) for s in SEEDS]
        score(
            "ours, words + embeddings (new default)",
            "auto " + "/".join(str(k) for _l, k in auto),
            [a[0] for a in auto],
        )
    return pd.DataFrame(rows)


def table(df: pd.DataFrame) -> str:
    lines = ["| method | k | documents | NMI | ARI |", "|---|---|---|---:|---:|"]
    lines += [f"| {r.method} | {r.k} | {r.docs} | {r.NMI:.3f} | {r.ARI:.3f} |" for r in df.itertuples()]
    return "\n".join(lines)


def sample_benchmark(config_dir: Path, truth_dir: Path) -> str:
    docs = sample_documents(config_dir, truth_dir)
    texts = docs["text"].tolist()
    first = docs["themes"].str.split(";").str[0].to_numpy()
    single = (docs["themes"].str.count(";") == 0).to_numpy()
    survey = (docs["source"] == "survey").to_numpy()
    themes = sorted({t for cell in docs["themes"] for t in cell.split(";")})
    subsets = {
        "all (first planted theme)": np.ones(len(docs), bool),
        "single-theme": single,
        "survey answers": survey,
    }
    result = table(compare(texts, first, len(themes), (5, 14), subsets))
    ceilings = supervised_ceiling(texts, first, encode(texts))
    result += (
        "\n\nSupervised ceiling of each representation (first planted theme; logistic regression, 5-fold "
        "cross-validated NMI): " + ", ".join(f"{name} {value:.3f}" for name, value in ceilings.items()) + "."
    )
    # guided assignment of documents to the planted themes, with and without the related terms, through the
    # pipeline's own catalogue mapping
    model = ThemeModel(n_themes=len(themes), random_state=2021).fit(texts)
    names = list(PLANTED_SEEDS)
    planted = [Topic(t, t, "", tuple(PLANTED_SEEDS[t]), ()) for t in names]
    truth = np.array([[t in cell.split(";") for t in names] for cell in docs["themes"]])
    from benchmarks.guided_variants import out_of_fold

    subsets = (("all", np.ones(len(docs), bool)), ("survey answers", survey), ("informant passages", ~survey))
    runs = []
    for label, related in (("seed terms", False), ("seed + related terms", True)):
        mapping = map_to_catalogue(model, texts, planted, related)
        runs += [
            (f"{label}, matched only", mapping.seeds),
            (f"{label}, spread over the graph", mapping.assigned),
        ]
    candidate = out_of_fold(model.features_matrix_, mapping.seeds, mapping.assigned)
    runs.append(("candidate: out-of-fold classifier on the seed matches", candidate))
    meant, vectors, encoded = with_meaning(texts, planted, len(themes), "document")
    runs += encoded
    lines = []
    for method, predicted in runs:
        for subset, mask in subsets:
            p, t = predicted[mask], truth[mask]
            lines.append(
                f"| {method} | {subset} | {f1_score(t, p, average='micro'):.3f} | "
                f"{(p & t).sum() / max(p.sum(), 1):.3f} | {(p & t).sum() / t.sum():.3f} |"
            )
    predicted = runs[-1][1]  # the pipeline's default: with the encoder where it runs
    hits = (predicted & truth).sum(axis=0)
    per_theme = [
        f"| {name} | {truth[:, j].sum()} | {hits[j] / max(predicted[:, j].sum(), 1):.3f} | "
        f"{hits[j] / max(truth[:, j].sum(), 1):.3f} |"
        for j, name in enumerate(names)
    ]
    reviewed = simulated_review(model, texts, planted, truth, docs, meant, vectors)
    guided = "\n".join(
        [
            "| guided assignment | documents | micro-F1 | precision | recall |",
            "|---|---|---:|---:|---:|",
            *lines,
            "",
            "| planted theme (pipeline, all documents) | documents | precision | recall |",
            "|---|---:|---:|---:|",
            *per_theme,
            "",
            "Simulated review: the first N documents of the coding sheet (uncertainty order, as `python -m "
            "pipeline review` writes it) or N at random (mean of 3 draws) take their planted themes, as an "
            "analyst would code them; micro-F1 over all documents, reviewed ones included.",
            "",
            REVIEW_HEADER,
            "|---:|---:|---:|---:|---:|---:|---:|",
            *reviewed,
            "",
            word_senses(config_dir, truth_dir),
        ]
    )
    return (
        f"Sample: {len(docs)} documents ({survey.sum()} survey answers, {(~survey).sum()} informant "
        f"passages), {len(themes)} planted themes, {single.sum()} documents with one planted theme."
        f"\n\n{result}\n\n{guided}"
    )


def simulated_review(
    model: ThemeModel,
    texts: list[str],
    planted: list[Topic],
    truth: np.ndarray,
    docs: pd.DataFrame,
    meant: ThemeModel | None = None,
    vectors: np.ndarray | None = None,
) -> list[str]:
    """micro-F1 after N rows reviewed from the ground truth, in the coding sheet's order and at random."""
    from pipeline.themes.review import coding_sheet, document_keys

    names = [t.id for t in planted]
    plain = map_to_catalogue(model, texts, planted, True)
    sheet = coding_sheet(docs, plain.assigned, plain.scores, plain.seeds, names)
    position = {k: i for i, k in enumerate(document_keys(docs))}
    order = np.array([position[k] for k in sheet["Nøkkel"]])
    orders = [order] + [np.random.default_rng(s).permutation(len(docs)) for s in SEEDS]
    return review_rows(model, texts, planted, truth, orders, meant, vectors)


def word_senses(config_dir: Path, truth_dir: Path) -> str:
    """The sample's planted word-sense cases (`ground_truth/word_senses.csv`: an answer that uses a topic's
    seed word in another sense) against the real catalogue: how many carry the topic they must not, today
    (words) and with the encoder."""
    from pipeline.config import load_programme

    senses = pd.read_csv(truth_dir / "word_senses.csv")
    docs = sample_documents(config_dir, truth_dir)
    texts = docs["text"].tolist()
    topics = list(load_programme(config_dir / "programme.toml").topics)
    ids = [t.id for t in topics]
    where = [int(np.flatnonzero(docs["text"].to_numpy() == text)[0]) for text in senses["text"]]
    wrong = {}
    model = ThemeModel(n_themes=12, random_state=2021).fit(texts)
    wrong["today (words)"] = map_to_catalogue(model, texts, topics, True).assigned
    embeddings = encode(texts)
    if embeddings is not None:
        meant = ThemeModel(n_themes=12, random_state=2021).fit(texts, embeddings=embeddings)
        wrong["with the encoder"] = map_to_catalogue(
            meant, texts, topics, True, None, topic_vectors(topics)
        ).assigned
    lines = [
        "| planted case | must not carry | " + " | ".join(wrong) + " |",
        "|---|---|" + "---|" * len(wrong),
    ]
    for row, i in zip(senses.itertuples(), where, strict=True):
        j = ids.index(row.not_topic)
        lines.append(
            f"| «{row.text[:60]}…» ({row.term}) | {row.not_topic} | "
            + " | ".join("carries it" if a[i, j] else "no" for a in wrong.values())
            + " |"
        )
    totals = ", ".join(
        f"{name}: {sum(a[i, ids.index(t)] for i, t in zip(where, senses['not_topic'], strict=True))} of "
        f"{len(senses)}"
        for name, a in wrong.items()
    )
    return f"Word-sense cases carrying the wrong topic ({totals}; target: none):\n\n" + "\n".join(lines)


REVIEW_HEADER = (
    "| rows reviewed | today, uncertainty order | today, random order | candidate: classifier on the "
    "reviewed rows, uncertainty order | candidate, random order | with the encoder, uncertainty order | "
    "with the encoder, random order |"
)


def review_rows(
    model: ThemeModel,
    texts: list[str],
    topics: list[Topic],
    truth: np.ndarray,
    orders: list[np.ndarray],
    meant: ThemeModel | None = None,
    vectors: np.ndarray | None = None,
) -> list[str]:
    """micro-F1 after the first N documents of each order take their true topics: today's method (reviewed
    rows spread over the graph) in the first order and the mean of the others, the candidate classifier
    trained on the reviewed rows (`guided_variants.review_classifier`), and the pipeline with the encoder
    (`meant`, fitted with embeddings; `vectors`: the topics' embeddings), in the same orders."""
    from benchmarks.guided_variants import review_classifier

    rows = []
    for n in (0, 25, 50, 100, 200):
        today, candidate, encoded = [], [], []
        for pick in orders:
            mask = np.zeros(len(truth), dtype=bool)
            mask[pick[:n]] = True
            mapping = map_to_catalogue(model, texts, topics, True, review=(mask, truth))
            today.append(f1_score(truth, mapping.assigned, average="micro"))
            refined = review_classifier(model.features_matrix_, mapping.seeds, mask, truth, mapping.scores)
            candidate.append(f1_score(truth, refined, average="micro"))
            if meant is not None:
                new = map_to_catalogue(meant, texts, topics, True, (mask, truth), vectors)
                encoded.append(f1_score(truth, new.assigned, average="micro"))
        cells = [today[0], np.mean(today[1:]), candidate[0], np.mean(candidate[1:])]
        cells += [encoded[0], np.mean(encoded[1:])] if encoded else [np.nan, np.nan]
        rows.append(f"| {n} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")
    return rows


def new_needs_benchmark(config_dir: Path, truth_dir: Path) -> str:
    """Which themes the theme stage proposes as new needs on the sample, against what was planted: the themes
    no catalogue topic covers (`beredskap`, `etikk`, THEMES.md) must be found; practical remarks about the
    programme (documents planted without a theme) must not be proposed."""
    import tempfile
    from dataclasses import replace

    from pipeline.config import load_programme
    from pipeline.stages import STAGES
    from pipeline.store import Store

    programme = load_programme(config_dir / "programme.toml")
    programme = replace(programme, privacy=replace(programme.privacy, write_mapping=True))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        for stage in ("ingest", "themes"):
            STAGES[stage](programme, store)
        themes_table = store.read("themes")
        doc_themes = store.read("doc_themes")
        ids = pd.read_csv(store.private / "respondent_ids.csv", dtype=str)
    answers = pd.read_csv(truth_dir / "answers.csv", dtype=str, keep_default_na=False)
    turns = pd.read_csv(truth_dir / "interview_turns.csv", dtype=str, keep_default_na=False)
    to_survey_id = dict(zip(ids["project_id"], ids["survey_id"], strict=True))
    labels = {(r.respondent_id, r.question): r.themes for r in answers.itertuples()}
    labels |= {(r.interview_id, str(r.turn)): r.themes for r in turns.itertuples()}
    own = doc_themes.sort_values(["doc_id", "weight"], ascending=[True, False]).drop_duplicates("doc_id")
    planted = [
        labels.get((to_survey_id.get(r.respondent_id), r.question), "")
        if r.source == "survey"
        else labels.get((r.interview_id, str(int(r.turn))), "")
        for r in own.itertuples()
    ]
    own = own.assign(planted=planted)
    new_needs = ("beredskap", "etikk")
    lines = [
        "| theme | today: proposed | new: proposed | reason | documents | "
        + " | ".join(f"planted '{n}'" for n in new_needs)
        + " | without a theme |",
        "|---|---|---|---|---:|" + "---:|" * (len(new_needs) + 1),
    ]
    found: set[str] = set()
    decoys = wrong_today = wrong_new = 0
    for theme in themes_table.itertuples():
        docs = own.loc[own["theme_id"] == theme.theme_id, "planted"]
        shares = {n: docs.str.split(";").map(lambda ts, n=n: n in ts).mean() for n in new_needs}
        majority = [n for n, share in shares.items() if share >= 0.5]
        empty_share = (docs == "").mean()
        if theme.emerging_reason == "dekkes av katalogen":
            continue
        if theme.emerging:
            found |= set(majority)
        decoys += bool(theme.emerging and empty_share >= 0.5)
        wrong_today += not majority  # today every uncovered theme is proposed
        wrong_new += bool(theme.emerging and not majority)
        lines.append(
            f"| {theme.name} | yes | {'yes' if theme.emerging else 'no'} | {theme.emerging_reason} | "
            f"{len(docs)} | "
            + " | ".join(f"{share:.0%}" for share in shares.values())
            + f" | {empty_share:.0%} |"
        )
    return (
        f"New needs on the sample: {len(new_needs)} planted new needs ({', '.join(new_needs)}; no catalogue "
        "topic covers them); practical remarks about the programme, planted without a theme, are the decoy. "
        "Today every theme no topic covers is proposed. Planted needs found: "
        f"{len(found)} of {len(new_needs)} ({', '.join(sorted(found)) or 'none'}); themes of practical "
        "remarks proposed: "
        f"{decoys}; other themes proposed: today {wrong_today}, new {wrong_new}.\n\n" + "\n".join(lines)
    )


def supervised_ceiling(texts: list[str], labels: np.ndarray, embeddings: np.ndarray | None = None) -> dict:
    """NMI of a supervised classifier (logistic regression, 5-fold cross-validated predictions) on each
    representation: how much of the labels it carries, the ceiling for discovery."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    from pipeline.themes.features import TextFeatures
    from pipeline.themes.model import centred, joined

    words = TextFeatures().fit_transform(texts)
    representations = {"words": words}
    if embeddings is not None:
        representations["embeddings"] = centred(embeddings)
        representations["words + embeddings"] = joined(words, centred(embeddings), 0.5)
    out = {}
    for name, X in representations.items():
        predicted = cross_val_predict(LogisticRegression(C=10, max_iter=2000), X, labels, cv=5)
        out[name] = float(normalized_mutual_info_score(labels, predicted))
    return out


def guided_on_sib(texts: list[str], categories: list[str]) -> str:
    """Guided assignment on a second dataset: seed terms for the 7 categories written without seeing the
    data (benchmarks/sib200_seeds.py), today's method beside the out-of-fold classifier candidate."""
    from benchmarks.guided_variants import out_of_fold
    from benchmarks.sib200_seeds import SIB_SEEDS

    names = list(SIB_SEEDS)
    topics = [Topic(t.replace("/", "_"), t, "", tuple(SIB_SEEDS[t]), ()) for t in names]
    truth = np.array([[c == t for t in names] for c in categories])
    model = ThemeModel(n_themes=len(names), random_state=2021).fit(texts)
    mapping = map_to_catalogue(model, texts, topics, True)
    refined = out_of_fold(model.features_matrix_, mapping.seeds, mapping.assigned)
    rows = [
        ("seed + related terms, matched only", mapping.seeds),
        ("seed + related terms, spread over the graph (today)", mapping.assigned),
        ("candidate: out-of-fold classifier on the seed matches", refined),
    ]
    meant, vectors, encoded = with_meaning(texts, topics, len(names), "sentence")
    rows += encoded
    lines = [
        f"Guided assignment (blind seed terms; {mapping.seeds.any(axis=1).mean():.0%} of the sentences use "
        "one):",
        "",
        "| method | micro-F1 | precision | recall |",
        "|---|---:|---:|---:|",
    ]
    for label, predicted in rows:
        hits = (predicted & truth).sum()
        lines.append(
            f"| {label} | {f1_score(truth, predicted, average='micro'):.3f} | "
            f"{hits / max(predicted.sum(), 1):.3f} | {hits / truth.sum():.3f} |"
        )
    from pipeline.themes.review import confidence

    # the coding sheet's order: sentences the seed terms missed, then the smallest margin between two topics
    margin = confidence(mapping.scores, mapping.assigned)[1]
    uncertain = np.lexsort((np.arange(len(texts)), margin, mapping.seeds.any(axis=1)))
    orders = [uncertain] + [np.random.default_rng(s).permutation(len(texts)) for s in SEEDS]
    lines += [
        "",
        "Simulated review on SIB-200, as on the sample (random order: mean of 3 draws):",
        "",
        REVIEW_HEADER,
        "|---:|---:|---:|---:|---:|---:|---:|",
        *review_rows(model, texts, topics, truth, orders, meant, vectors),
    ]
    return "\n".join(lines)


def sib_benchmark(path: Path) -> str:
    parts = []
    for lang in ("nob", "nno"):
        one = path.with_name(f"sib200_{lang}.tsv")
        if not one.is_file():
            parts.append(f"({one} not found: a user's clone has no ../shared; SIB-200 {lang} skipped)")
            continue
        data = pd.read_csv(one, sep="\t")
        labels = data["category"].to_numpy()
        texts = data["text"].tolist()
        result = compare(texts, labels, 7, (4, 14), {"all": np.ones(len(data), bool)})
        ceilings = supervised_ceiling(texts, labels, encode(texts))
        guided = guided_on_sib(texts, data["category"].tolist())
        parts.append(
            f"SIB-200 {lang}: {len(data)} sentences, 7 topics.\n\n{table(result)}\n\n{guided}\n\n"
            "Supervised ceiling of each representation (logistic regression, 5-fold cross-validated NMI): "
            + ", ".join(f"{name} {value:.3f}" for name, value in ceilings.items())
            + "."
        )
    return "\n\n".join(parts)


def unexplained(embeddings: np.ndarray, topic_embeddings: np.ndarray) -> np.ndarray:
    """Documents no topic explains in meaning, by chance: the best of their standardised similarities to
    the K topics is below the median of the best of K independent standard normal draws."""
    from scipy.stats import norm

    from pipeline.themes.guided import semantic_scores

    k = topic_embeddings.shape[0]
    meaning = semantic_scores(embeddings, topic_embeddings, embeddings.mean(axis=0))
    return meaning.max(axis=1) < norm.ppf(0.5 ** (1 / k))


def best_cluster(labels: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    """(F1, purity, recall) of the cluster that best recovers the documents `truth`."""
    best = (0.0, 0.0, 0.0)
    for c in np.unique(labels):
        members = labels == c
        purity, recall = truth[members].mean(), (truth & members).sum() / max(truth.sum(), 1)
        f1 = 2 * purity * recall / (purity + recall) if purity + recall else 0.0
        best = max(best, (float(f1), float(purity), float(recall)))
    return best


def residual_clusters(
    texts: list[str],
    embeddings: np.ndarray,
    topic_embeddings: np.ndarray,
    needs: dict[str, np.ndarray],
    k_range: tuple[int, int],
) -> dict[str, tuple[tuple[float, float, float], tuple[float, float, float], float]]:
    """For each uncovered need (documents `needs[name]`): the best cluster of today's discovery on all
    documents, and of the candidate that clusters only the documents no topic explains (`unexplained`),
    with the share of the need's documents that the candidate keeps."""
    whole = ThemeModel(k_range=k_range, random_state=2021).fit(texts, embeddings=embeddings)
    rest = np.flatnonzero(unexplained(embeddings, topic_embeddings))
    part = ThemeModel(k_range=k_range, random_state=2021).fit(
        [texts[i] for i in rest], embeddings=embeddings[rest]
    )
    out = {}
    for name, truth in needs.items():
        _, purity, recall = best_cluster(part.labels_, truth[rest])
        kept = truth[rest].sum() / max(truth.sum(), 1)
        recall *= kept  # of all the need's documents
        f1 = 2 * purity * recall / (purity + recall) if purity + recall else 0.0
        out[name] = (best_cluster(whole.labels_, truth), (f1, purity, recall), kept)
    return out


def uncovered_benchmark(config_dir: Path, truth_dir: Path, sib: Path) -> str:
    """Candidate for new needs (issue 26, part 5): cluster only the documents no catalogue topic explains in
    meaning, against today's discovery on all documents, on the sample's two uncovered needs and on SIB-200
    with each category left out of the catalogue in turn."""
    from benchmarks.sib200_seeds import SIB_SEEDS
    from pipeline.config import load_programme

    docs = sample_documents(config_dir, truth_dir)
    texts = docs["text"].tolist()
    embeddings = encode(texts)
    if embeddings is None:
        return "Clustering what no topic explains: skipped (the encoder cannot run here)."
    topics = list(load_programme(config_dir / "programme.toml").topics)
    rows = []
    needs = {n: docs["themes"].str.contains(n).to_numpy() for n in ("beredskap", "etikk")}
    for name, (whole, part, kept) in residual_clusters(
        texts, embeddings, topic_vectors(topics), needs, (5, 14)
    ).items():
        rows.append(("sample", f"'{name}' (not in the catalogue)", whole, part, kept))
    names = list(SIB_SEEDS)
    catalogue = [Topic(t.replace("/", "_"), t, "", tuple(SIB_SEEDS[t]), ()) for t in names]
    for lang in ("nob", "nno"):
        one = sib.with_name(f"sib200_{lang}.tsv")
        if not one.is_file():
            continue
        data = pd.read_csv(one, sep="\t")
        texts = data["text"].tolist()
        embeddings, vectors = encode(texts), topic_vectors(catalogue)
        found = []
        for left_out in range(len(names)):
            keep = [j for j in range(len(names)) if j != left_out]
            truth = (data["category"] == names[left_out]).to_numpy()
            found += residual_clusters(texts, embeddings, vectors[keep], {"x": truth}, (3, 10)).values()
        whole = tuple(np.mean([f[0][i] for f in found]) for i in range(3))
        part = tuple(np.mean([f[1][i] for f in found]) for i in range(3))
        rows.append(
            (
                f"SIB-200 {lang}",
                "each category left out in turn (mean of 7)",
                whole,
                part,
                np.mean([f[2] for f in found]),
            )
        )
    lines = [
        "Clustering what no topic explains (candidate, not adopted): a document is unexplained when its best "
        "standardised similarity to the K topics is below the median best of K chance draws; only those are "
        "clustered. The best cluster of the uncovered need, today (all documents) beside the candidate "
        "(purity: share of the cluster that is the need; a new need is counted found at purity >= 50 %):",
        "",
        "| data | uncovered need | today: F1 | today: purity | candidate: F1 | candidate: purity | "
        "candidate: recall | share of the need left unexplained |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for data, need, whole, part, kept in rows:
        lines.append(
            f"| {data} | {need} | {whole[0]:.2f} | {whole[1]:.0%} | {part[0]:.2f} | {part[1]:.0%} | "
            f"{part[2]:.0%} | {kept:.0%} |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------- scale
def scale_once(n: int | str, config: Path | str, embeddings: str = "none") -> dict[str, float]:
    """Child process: (with `embeddings` = 'e5-small', the documents embedded, cold) themes model + guided
    mapping over n generated answers."""
    import resource

    from pipeline.config import load_programme
    from pipeline.sample.generate import build_scaled
    from pipeline.text import is_non_answer
    from pipeline.themes import fit_rows, topic_text
    from pipeline.themes.embedding_cache import embed_texts
    from pipeline.themes.encoder import load_encoder

    n = int(n)
    _export, truth = build_scaled(max(n // 2, 10))
    texts = [t for t in truth["text"] if not is_non_answer(t)]
    while len(texts) < n:
        texts += texts[: n - len(texts)]
    texts = texts[:n]
    programme = load_programme(Path(config))
    t0 = time.perf_counter()
    encoder = load_encoder(embeddings)
    vectors = topics = None
    if encoder is not None:  # as the theme stage does: the fitted subset of a large corpus only
        rows = fit_rows(len(texts))
        vectors = np.full((len(texts), 384), np.nan, dtype=np.float32)
        vectors[rows] = embed_texts(encoder, [texts[i] for i in rows])
        topics = embed_texts(encoder, [topic_text(t) for t in programme.topics])
    t1 = time.perf_counter()
    model = ThemeModel(k_range=(programme.themes.k_min, programme.themes.k_max)).fit(
        texts, progress=True, embeddings=vectors
    )
    t2 = time.perf_counter()
    map_to_catalogue(model, texts, programme.topics, programme.themes.related_terms, None, topics)
    t3 = time.perf_counter()
    return {
        "embed_s": t1 - t0,
        "model_s": t2 - t1,
        "guided_s": t3 - t2,
        "total_s": t3 - t0,
        "k": model.n_themes_,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def scale_benchmark(config: Path, sizes: tuple[int, ...] = (1_000, 10_000, 100_000)) -> str:
    lines = [
        "| answers | representation | embed s | model s | guided s | total s | k | peak MB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    runs = [(n, "none") for n in sizes] + [(n, "e5-small") for n in sizes]
    for n, embeddings in runs:
        r = run_in_child("benchmarks.themes", "scale_once", str(n), str(config), embeddings)
        name = "words alone (today)" if embeddings == "none" else "words + e5-small (default)"
        lines.append(
            f"| {n:,} | {name} | {r['embed_s']:.1f} | {r['model_s']:.1f} | {r['guided_s']:.1f} | "
            f"{r['total_s']:.1f} | {r['k']} | {r['peak_mb']:.0f} |"
        )
    return "\n".join(lines) + (
        "\n\nWith the encoder, a corpus larger than the model's fitted subset (4,000 documents) has that "
        "subset embedded; the other documents join their themes and topics on their words. Measured on 8,149 "
        "labelled answers recombined from the sample (planted themes, blind seed terms): guided micro-F1 "
        "0.784 on words alone, 0.805 with every answer embedded, 0.796 with the subset embedded."
    )


def run(config: Path, truth_dir: Path, sib: Path) -> str:
    parts = []
    if truth_dir.is_dir():
        parts.append(sample_benchmark(config.parent, truth_dir))
        parts.append(new_needs_benchmark(config.parent, truth_dir))
        parts.append(uncovered_benchmark(config.parent, truth_dir, sib))
    parts.append(sib_benchmark(sib))
    parts.append(
        "Scale (answers recombined from the sample, through ThemeModel.fit and the guided mapping):\n\n"
        + scale_benchmark(config)
    )
    return "\n\n".join(parts)
