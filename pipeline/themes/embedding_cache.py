"""Embeddings cached under the work dir (`data/interim/embeddings/`), one file per model, keyed by a hash of
the model's identity and the text: a rerun, `explore` and the review loop never embed the same text twice.
The file holds hashes and vectors, never the text."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.store import Store, replacing
from pipeline.themes.encoder import NONE, Encoder, load_encoder

log = logging.getLogger(__name__)

BATCH = 32


def text_key(identity: str, text: str) -> str:
    return hashlib.sha256(f"{identity}\0{text}".encode()).hexdigest()[:32]


def read_cache(path: Path | None) -> dict[str, np.ndarray]:
    if path is None or not path.is_file():
        return {}
    table = pq.read_table(path)
    keys = table.column("key").to_pylist()
    vectors = table.column("vector").combine_chunks()
    flat = vectors.flatten().to_numpy(zero_copy_only=False).astype(np.float32)
    rows = flat.reshape(len(keys), -1) if keys else flat.reshape(0, 0)
    return dict(zip(keys, rows, strict=True))


def write_cache(path: Path, cached: dict[str, np.ndarray]) -> None:
    """Every vector, sorted by key: the same cache contents give the same bytes."""
    keys = sorted(cached)
    matrix = np.vstack([cached[k] for k in keys]).astype(np.float32)
    vectors = pa.FixedSizeListArray.from_arrays(pa.array(matrix.ravel()), matrix.shape[1])
    with replacing(path) as tmp:
        pq.write_table(pa.table({"key": keys, "vector": vectors}), tmp)


def embed_texts(
    encoder: Encoder, texts: list[str], cache: Path | None = None, progress: bool = False
) -> np.ndarray:
    """(n, dim) unit rows for `texts`, each distinct text embedded once; with `cache`, only the texts it does
    not hold yet, and the new vectors are added to it."""
    keys = [text_key(encoder.identity, t) for t in texts]
    cached = read_cache(cache)
    todo = list(dict.fromkeys(k for k in keys if k not in cached))
    if todo:
        text_of = dict(zip(keys, texts, strict=True))
        batches = range(0, len(todo), BATCH)
        if progress:
            from tqdm.auto import tqdm

            batches = tqdm(batches, desc="themes: embedding", unit="batch", leave=False, delay=2)
        for start in batches:
            chunk = todo[start : start + BATCH]
            for key, vector in zip(chunk, encoder.embed([text_of[k] for k in chunk]), strict=True):
                cached[key] = vector
        if cache is not None:
            write_cache(cache, cached)
        log.info("themes: %d texts embedded, %d from the cache", len(todo), len(set(keys)) - len(todo))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([cached[k] for k in keys])


@dataclass(frozen=True)
class Meaning:
    """A corpus's and a catalogue's embeddings, and which encoder made them (None: words alone)."""

    encoder: str | None  # the model's name for readers, or None
    identity: str | None  # model and weights hash (the manifest and the cache key)
    documents: np.ndarray | None
    topics: np.ndarray | None
    sha256: str | None = None  # of the model's weights file

    def describe(self) -> dict[str, str | None]:
        return {"encoder": self.encoder, "identity": self.identity, "weights_sha256": self.sha256}


def embed_corpus(
    setting: str | Path,
    source: Path,
    texts: list[str],
    topic_texts: list[str],
    store: Store | None = None,
    progress: bool = False,
    rows: np.ndarray | None = None,
) -> Meaning:
    """The documents' and topics' embeddings by the encoder `[themes].embeddings` names (`source`: the
    programme file, for messages), cached in `store`'s work dir; no embeddings for 'none' or where the
    default encoder cannot run here. `rows`: embed these documents only (the theme model's fitted subset
    of a large corpus, `model.fit_rows`); the others' rows are NaN and they stand on their words."""
    encoder = None if setting == NONE else load_encoder(setting, source)
    if encoder is None:
        return Meaning(None, None, None, None)
    cache = store.embedding_cache(encoder.identity) if store is not None else None
    rows = np.arange(len(texts)) if rows is None else rows
    both = embed_texts(encoder, [texts[i] for i in rows] + list(topic_texts), cache, progress)
    documents = np.full((len(texts), both.shape[1]), np.nan, dtype=np.float32)
    documents[rows] = both[: len(rows)]
    if len(rows) < len(texts):
        log.info("themes: %d of %d documents embedded (the fitted subset)", len(rows), len(texts))
    return Meaning(encoder.label, encoder.identity, documents, both[len(rows) :], encoder.sha256)
