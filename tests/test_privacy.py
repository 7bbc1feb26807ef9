from __future__ import annotations

import pandas as pd
import pytest

from pipeline.privacy import Pseudonymiser, fnr_check_digits, format_count, is_valid_fnr, suppress_small_cells


def make_fnr(date6: str, individual: str) -> str:
    """A fødselsnummer with correct check digits, computed independently of the code under test."""
    d = [int(c) for c in date6 + individual]
    k1 = (11 - sum(a * b for a, b in zip(d, (3, 7, 6, 1, 8, 9, 4, 5, 2), strict=True)) % 11) % 11
    d.append(k1)
    k2 = (11 - sum(a * b for a, b in zip(d, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11) % 11
    return date6 + individual + f"{k1}{k2}"


def valid_fnr() -> str:
    for ind in range(100, 999):
        number = make_fnr("150375", f"{ind:03d}")
        if len(number) == 11:
            return number
    raise AssertionError


def test_fnr_check_digits() -> None:
    fnr = valid_fnr()
    assert is_valid_fnr(fnr)
    assert is_valid_fnr(fnr[:6] + " " + fnr[6:])
    assert not is_valid_fnr(fnr[:-1] + str((int(fnr[-1]) + 1) % 10))
    assert not is_valid_fnr("12345678901")


@pytest.mark.parametrize("individual", ["000", "123", "255", "499", "731", "999"])
def test_fnr_check_digits_agree_with_an_independent_computation(individual: str) -> None:
    for date6 in ("010158", "150375", "311289", "410190"):
        expected = make_fnr(date6, individual)  # 12 or 13 characters when a check digit would be 10
        checks = fnr_check_digits(date6 + individual)
        assert checks == ((int(expected[9]), int(expected[10])) if len(expected) == 11 else None)


@pytest.mark.parametrize(
    "phone", ["412 34 567", "41234567", "22 33 44 55", "+47 22 33 44 55", "0047 98765432", "+4741234567"]
)
def test_phone_numbers_are_replaced(phone: str) -> None:
    assert Pseudonymiser()(f"Ring meg på {phone} i morgen.") == "Ring meg på [TELEFON] i morgen."


@pytest.mark.parametrize(
    "text",
    [
        "Budsjettet er 45 000 000 kroner.",
        "Vi har 2021 ansatte og 12 enheter.",
        "Kontonummer 1234.56.78903 i DNB.",
        "Skoleåret 2021-2022 blir krevende.",
        "Møtet er 24.08.2021 klokken 10.",
    ],
)
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert Pseudonymiser()(text) == text


def test_email_and_fnr() -> None:
    fnr = valid_fnr()
    out = Pseudonymiser()(f"Skriv til ola.nordby@eksempel.kommune.no, fnr {fnr[:6]} {fnr[6:]}.")
    assert out == "Skriv til [E-POST], fnr [FNR]."


def test_names_stable_placeholders_and_parts() -> None:
    p = Pseudonymiser(["Kari Solheim", "Per Lie"])
    text = p("Kari Solheim sa det. Per Lie var enig, og Kari gjentok det. Prisen er 10 kr per person.")
    assert (
        text
        == "[PERSON-1] sa det. [PERSON-2] var enig, og [PERSON-1] gjentok det. Prisen er 10 kr per person."
    )
    assert p.person("Per Lie") == "[PERSON-2]"


def test_small_cells_are_suppressed_and_not_recoverable_from_total() -> None:
    df = pd.DataFrame({"role": ["A", "B", "C", "D"], "n": [20, 3, 7, 12], "share": [0.5, 0.07, 0.17, 0.26]})
    out = suppress_small_cells(df, "n", 5, ["share"])
    assert list(out["suppressed"]) == [False, True, True, False]
    assert out["share"].isna().tolist() == [False, True, True, False]
    assert df["share"].notna().all()  # input unchanged
    assert [format_count(n, 5) for n in df["n"]] == ["20", "<5", "7", "12"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Per Lie fra vår kommune har mye å bidra med.", "[PERSON-1] fra vår kommune har mye å bidra med."),
        ("Ring Liv Berg i morgen.", "Ring [PERSON-1] i morgen."),
        ("Vi snakket med Kari Solheim. Kari var enig.", "Vi snakket med [PERSON-1]. [PERSON-1] var enig."),
        ("Han sa det til Bjørn i går.", "Han sa det til [PERSON-1] i går."),
        ("Anne Marie Dahl fra KS var på besøk.", "[PERSON-1] fra KS var på besøk."),
        (
            "Det var tøft. Bjørn, han som er teknisk sjef, sa nei.",
            "Det var tøft. [PERSON-1], han som er teknisk sjef, sa nei.",
        ),
        ("Liv og jeg tok det videre.", "[PERSON-1] og jeg tok det videre."),
        ("Per har allerede sagt ja.", "[PERSON-1] har allerede sagt ja."),
    ],
)
def test_names_from_the_shipped_lists(text: str, expected: str) -> None:
    assert Pseudonymiser()(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Per i dag har vi 20 ansatte.",
        "Liv og helse er viktig for oss.",
        "Prisen er 10 kr per deltaker.",
        "Dag for dag blir det bedre.",
        "Vi må ta vare på liv og helse i Moss og Gran.",
    ],
)
def test_ordinary_words_that_are_names_at_sentence_start_are_kept(text: str) -> None:
    assert Pseudonymiser()(text) == text
