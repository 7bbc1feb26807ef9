"""Direct identifiers found by their form: e-mail addresses, Norwegian phone numbers, fødselsnumre and
D-numre (11 digits with valid mod-11 check digits)."""

from __future__ import annotations

import re

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# 11 digits, optionally with a space after the six-digit date part
FNR = re.compile(r"(?<!\d)(\d{6})\s?(\d{5})(?!\d)")
FNR_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)  # first check digit, over digits 1-9
FNR_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)  # second check digit, over digits 1-9 and the first check
# Norwegian numbers: 8 digits (first digit 2-9) grouped 2-2-2-2, 3-2-3 or unbroken, optional +47/0047
PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)47[\s.-]?)?"
    r"(?:[2-9]\d[\s.-]?\d{2}[\s.-]?\d{2}[\s.-]?\d{2}|[2-9]\d{2}[\s.-]?\d{2}[\s.-]?\d{3})(?!\d)"
)

PLACEHOLDER_EMAIL = "[E-POST]"
PLACEHOLDER_PHONE = "[TELEFON]"
PLACEHOLDER_FNR = "[FNR]"


def phone_replacement(match: re.Match[str]) -> str:
    """A phone number's placeholder, unless the 8 digits are a span of years ('2021-2022') or a date
    ('24.08.2021'): then the text itself."""
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    if len(digits) == 8 and all(1900 <= int(digits[i : i + 4]) <= 2100 for i in (0, 4)):
        return text
    if re.fullmatch(r"(0?[1-9]|[12]\d|3[01])[./](0?[1-9]|1[0-2])[./](19|20)\d\d", text.strip()):
        return text  # a date, 24.08.2021
    return PLACEHOLDER_PHONE


def fnr_check_digits(nine_digits: str) -> tuple[int, int] | None:
    """The two mod-11 check digits that follow the first nine digits of a fødselsnummer (or D-nummer);
    None when either would be 10, as no valid number begins with those nine digits."""
    digits = [int(c) for c in nine_digits]
    k1 = (11 - sum(d * w for d, w in zip(digits, FNR_WEIGHTS_1, strict=True)) % 11) % 11
    if k1 == 10:
        return None
    k2 = (11 - sum(d * w for d, w in zip([*digits, k1], FNR_WEIGHTS_2, strict=True)) % 11) % 11
    return None if k2 == 10 else (k1, k2)


def is_valid_fnr(number: str) -> bool:
    """True for an 11-digit fødselsnummer or D-nummer whose two mod-11 check digits are right."""
    number = re.sub(r"\s", "", number)
    digits = [int(c) for c in number]
    if len(digits) != 11 or fnr_check_digits(number[:9]) != (digits[9], digits[10]):
        return False
    day = digits[0] * 10 + digits[1]
    day = day - 40 if day > 40 else day  # D-nummer adds 4 to the first digit
    month = digits[2] * 10 + digits[3]
    return 1 <= day <= 31 and 1 <= month <= 12


def looks_like_contact(value: str) -> bool:
    """True when a value (e.g. a respondent id) is an e-mail address or is written as a Norwegian phone
    number: with the country code (+47, 0047) or grouped ('412 34 567', '41 23 45 67'). A bare run of
    eight digits is not taken for one: survey tools number their responses that way."""
    value = str(value).strip()
    if EMAIL.fullmatch(value):
        return True
    return bool(PHONE.fullmatch(value)) and not value.isdigit()
