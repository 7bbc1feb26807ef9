"""Norwegian text processing built from small factories that return callables (scikit-learn style):
`build_preprocessor`, `build_tokenizer`, `build_analyzer`. Nothing is downloaded: the stop-word lists ship
in `pipeline/resources`, and NLTK's Snowball stemmer and regexp tokenizer need no data files.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib.resources import files

import pandas as pd

MINUS = "\u2212"  # the minus sign, not a hyphen
THIN_SPACE = "\u202f"  # narrow no-break space: thousands separator and before "%"
WORD_PATTERN = r"[a-zæøåäöéèêóòôâüñ]+(?:-[a-zæøåäöéèêóòôâüñ]+)*"
PLACEHOLDER = re.compile(r"\[(?:PERSON-\d+|E-POST|TELEFON|FNR|KOMMUNE|STED|ROLLE|TID|ANTALL)\]")
NON_ANSWERS = frozenset(
    {
        "",
        "-",
        "--",
        ".",
        "nei",
        "nei takk",
        "ingen",
        "ingen kommentar",
        "ingen kommentarer",
        "vet ikke",
        "vet ikkje",
        "nei, ikke nå",
        "ikke nå",
        "nope",
        "no",
        "n/a",
        "na",
        "x",
        "ok",
        "takk",
        "har ingen",
        "ingenting",
        "nei.",
        "ikke noe",
        "ikkje noko",
        "nei, takk",
        "ingen innspill",
        "ingen flere innspill",
    }
)


@lru_cache(maxsize=4)
def load_word_list(name: str) -> frozenset[str]:
    """A shipped word list (`stopwords_no.txt`, `filler_no.txt`): one word a line, '#' comments."""
    text = files("pipeline.resources").joinpath(name).read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def stop_words(include_filler: bool = True) -> frozenset[str]:
    words = load_word_list("stopwords_no.txt")
    return words | load_word_list("filler_no.txt") if include_filler else words


def build_preprocessor() -> Callable[[str], str]:
    """Unicode NFC, lower case, placeholders of personal data removed, whitespace collapsed."""

    def preprocess(text: str) -> str:
        text = unicodedata.normalize("NFC", text)
        text = PLACEHOLDER.sub(" ", text).lower()
        return " ".join(text.split())

    return preprocess


def build_tokenizer() -> Callable[[str], list[str]]:
    from nltk.tokenize import RegexpTokenizer  # here: importing NLTK takes a second the reports don't need

    return RegexpTokenizer(WORD_PATTERN).tokenize


def build_content_words(
    stopwords: Iterable[str] | None = None, min_len: int = 2
) -> Callable[[str], list[str]]:
    """Text -> its content words: preprocessed and tokenised, without stop words, fillers and words shorter
    than `min_len`."""
    preprocess, tokenize = build_preprocessor(), build_tokenizer()
    stop = frozenset(stopwords) if stopwords is not None else stop_words()

    def content_words(text: str) -> list[str]:
        return [w for w in tokenize(preprocess(text)) if len(w) >= min_len and w not in stop]

    return content_words


def build_content_preprocessor(
    stopwords: Iterable[str] | None = None, min_len: int = 2
) -> Callable[[str], str]:
    """Text -> its content words, space-separated: the input of sub-word (character n-gram) features, so that
    they carry what is said and not the style of speech ('altså', 'det er jo') that would otherwise group
    interview passages by genre."""
    content_words = build_content_words(stopwords, min_len)

    def content(text: str) -> str:
        return " ".join(content_words(text))

    return content


def build_stemmer() -> Callable[[str], str]:
    from nltk.stem.snowball import NorwegianStemmer

    stemmer = NorwegianStemmer()
    cache: dict[str, str] = {}

    def stem(word: str) -> str:
        if word not in cache:
            cache[word] = stemmer.stem(word)
        return cache[word]

    return stem


def build_analyzer(
    stem: bool = True, stopwords: Iterable[str] | None = None, min_len: int = 2, bigrams: bool = True
) -> Callable[[str], list[str]]:
    """Text -> list of features: (stemmed) words without stop words, plus adjacent-word bigrams."""
    content_words = build_content_words(stopwords, min_len)
    stemmer = build_stemmer() if stem else (lambda w: w)

    def analyze(text: str) -> list[str]:
        terms = [stemmer(w) for w in content_words(text)]
        if bigrams:
            terms += [f"{a} {b}" for a, b in zip(terms, terms[1:], strict=False)]
        return terms

    return analyze


def is_non_answer(text: str) -> bool:
    """True for answers that say nothing ('Nei', '-', 'vet ikke', 'Ingen kommentar', empty)."""
    norm = " ".join(build_preprocessor()(text).strip(" .!-").split())
    return norm in NON_ANSWERS or not re.search(r"[a-zæøå]{2,}", norm)


def surface_forms(texts: Iterable[str], stem: bool = True) -> dict[str, str]:
    """Stem -> the most frequent surface word form in `texts` (ties: alphabetical), for readable labels."""
    preprocess, tokenize = build_preprocessor(), build_tokenizer()
    stemmer = build_stemmer() if stem else (lambda w: w)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for word in tokenize(preprocess(text)):
            counts[stemmer(word)][word] += 1
    return {s: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for s, c in counts.items()}


def readable(term: str, forms: dict[str, str]) -> str:
    """A feature (stem or stem bigram) in readable surface form."""
    return " ".join(forms.get(part, part) for part in term.split(" "))


def format_number(value: float | None, decimals: int = 0) -> str:
    """Norwegian number format: decimal comma, narrow no-break space between thousands, no '-0'; '–' for a
    missing value."""
    if value is None or pd.isna(value):
        return "–"
    value = 0.0 if abs(value) < 0.5 * 10**-decimals else value
    return f"{value:,.{decimals}f}".replace(",", THIN_SPACE).replace(".", ",").replace("-", MINUS)


def format_percent(share: float | None, decimals: int = 0) -> str:
    """A share as a Norwegian percentage, the sign held to its number: 0.143 -> '14 %'."""
    return "–" if share is None or pd.isna(share) else f"{format_number(100 * share, decimals)}{THIN_SPACE}%"


DONT_KNOW = ("vet ikke", "usikker", "ikke sikker", "ønsker ikke å svare", "ingen formening", "vil ikke svare")


def is_dont_know(answer: str) -> bool:
    """'Vet ikke' and its kin: not a position on the scale, so it goes last in any order."""
    return answer.strip().lower().rstrip(".").startswith(DONT_KNOW)


NUMBER_WORDS = (
    "null",
    "ett",
    "to",
    "tre",
    "fire",
    "fem",
    "seks",
    "sju",
    "åtte",
    "ni",
    "ti",
    "elleve",
    "tolv",
)


def number_word(n: int) -> str:
    """4 -> 'fire': a count written out, in digits above twelve."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def count_words(n: int, one: str, many: str) -> str:
    """'tre programtemaer', 'ett programtema': a count written out (a sentence never starts with a
    numeral), in digits above twelve."""
    return f"{number_word(n)} {one if n == 1 else many}"


def capitalised(text: str) -> str:
    """The text with a capital first letter, the rest as it is."""
    return text[:1].upper() + text[1:]


def listed(items: list[str]) -> str:
    """'a', 'b', 'c' -> 'a, b og c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def genitive(name: str) -> str:
    """'Olympiatoppen' -> 'Olympiatoppens', 'Smart Innovation Norway' -> 'Smart Innovation Norways'; a name
    ending in s, x or z takes an apostrophe ('Hans' -> 'Hans\'')."""
    return name + ("'" if name[-1:].lower() in "sxz" else "s")
