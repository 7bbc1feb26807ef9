"""The words around a person's name in Norwegian text: what introduces one ("kollegaen min X",
"ordfører X", "snakket med X"), what follows one ("X sa", "X og jeg", "X, hun"), and what marks a run of
capitalised words as a place, a body or a thing instead (the designators)."""

from __future__ import annotations

import re

from pipeline.text import load_word_list

CAP = r"[A-ZÆØÅ][a-zæøåéèü]+"
SENTENCE_END = (".", "!", "?", ":", ";", "«", '"', "(", "-", "–", "•", "*", "\n")
TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
PARTICLES = frozenset(
    [
        "van",
        "von",
        "de",
        "der",
        "den",
        "da",
        "di",
        "du",
        "le",
        "la",
        "al",
        "el",
        "bin",
        "ibn",
        "bint",
        "abu",
        "af",
        "ter",
        "ten",
        "dos",
        "das",
        "del",
    ]
)
# words that make a run of capitalised words the name of a place, a body, a work or a thing, never a person
DESIGNATORS = load_word_list("name_designators.txt")

# after a sentence-initial 'Per', 'Liv', 'Bjørn' ...: what makes it a person rather than an ordinary word
NAME_CONTEXT = re.compile(
    r"^(?:,|\s+(?:og (?:jeg|meg|hun|han|vi|eg)|har|hadde|sa|sier|mente|mener|synes|syntes|tror|trodde|kom|"
    r"ringte|skrev|tok|fikk|ville|spurte|svarte|fortalte|jobber|jobbet)\b)"
)
RELATION = (
    r"kollega(?:en|er|ene|ne|ane)?|kolleger|sjef(?:en)?|leder(?:en)?|leiar(?:en)?|nestleder(?:en)?|"
    r"rådgiver(?:en)?|rådgjevar(?:en)?|konsulent(?:en)?|ordfører(?:en)?|ordførar(?:en)?|varaordfører(?:en)?|"
    r"rådmann(?:en)?|kommunedirektør(?:en)?|kommunalsjef(?:en)?|direktør(?:en)?|økonomisjef(?:en)?|"
    r"personalsjef(?:en)?|hr-sjef(?:en)?|rektor(?:en)?|enhetsleder(?:en)?|avdelingsleder(?:en)?|"
    r"virksomhetsleder(?:en)?|tillitsvalgt(?:e)?|verneombud(?:et)?|medarbeider(?:en)?|mentor(?:en)?|"
    r"kontaktperson(?:en)?|saksbehandler(?:en)?|sekretær(?:en)?|assistent(?:en)?|mann(?:en)?|kona|kone(?:n)?|"
    r"venn(?:en)?|venninne(?:n)?|venninna|nabo(?:en)?|fru|frue|herr|dr|doktor|professor|statsminister|"
    r"statsråd(?:en)?|minister(?:en)?|president(?:en)?"
)
RELATION_WORD = re.compile(rf"(?:{RELATION})", re.IGNORECASE)
PRE_CONTEXT = re.compile(
    rf"(?:\b(?:jeg|eg|meg) og|\b(?:{RELATION})"
    r"(?:\s+(?:min|mi|mitt|mine|vår|vårt|våre|vår nye|hans|hennes|deres))?,?"
    r"|\b(?:snakket|snakka|pratet|prata|prater|snakker|møtte|møter|spurte|spør|ringte|ringe|ring|ringt|"
    r"kontakt|kontakte|kontaktet|hilsen|mvh|takk til|sammen med|hjelp (?:fra|av)|"
    r"ansatte|ansatt|tilsette|tilsett|intervjuet)"
    r"(?:\s+(?:med|til|på|av|fra|frå))?)\s+$",
    re.IGNORECASE,
)
POST_CONTEXT = re.compile(
    r"^(?:\s+(?:sa|sier|seier|sagt|mente|mener|meiner|synes|syntes|tror|trur|trodde|fortalte|forklarte|"
    r"skrev|spurte|svarte|ringte|foreslo|påpekte|understreket|lurte|klaget|klagde|har sagt|hadde sagt)\b"
    r"|\s+og\s+(?:jeg|eg|meg)\b|,\s+(?:han|hun|ho)\b"
    r"|\s+(?:fra|frå)\s+(?-i:[a-zæøå]|HR\b|IT\b|IKT\b))",
    re.IGNORECASE,
)


# after a sentence-initial word that is no ordinary word: a finite verb makes it the subject, a person
FINITE_VERB = re.compile(
    r"^\s+(?:har|hadde|er|var|skal|skulle|vil|ville|kan|kunne|må|måtte|gjør|gjorde|tar|tok|står|sto|"
    r"blir|ble|vart|kom|kjem|fikk|fekk|sa|seier|sier|mener|meiner|syns|synes|tror|trur)\b",
    re.IGNORECASE,
)
# 'Agnieszkas forslag': a genitive before a lower-case noun (not before a verb: 'Sundarbans består')
POSSESSIVE = re.compile(r"^\s+(?![a-zæøå]+(?:r|te|de)\b)[a-zæøå]")
# before a lower-case name: 'kollegaen min agnieszka', 'snakket med zainab'
LOWERCASE_PRE = re.compile(
    rf"(?:\b(?:{RELATION})\s+(?:min|mi|mitt|vår)|\b(?:snakket|snakka|pratet|prata|snakker|prater)\s+med"
    r"|\b(?:ringte|ring|møtte|spurte)|\b(?:jeg|eg) og|\b(?:heter|heiter|het)"
    r"|\b(?:navnet|namnet) (?:mitt|hans|hennes) er|\b(?:mitt|hans|hennes) (?:navn|namn) er)\s+$",
    re.IGNORECASE,
)
# after a lower-case name: 'krzysztof og jeg', 'hodan, hun sier'
LOWERCASE_POST = re.compile(r"^(?:\s+og\s+(?:jeg|eg|meg)|,\s+(?:han|hun|ho))\b")
# a genitive before a word for a relative or for someone's work: 'Sunnás mor', 'Agnieszkas forslag'
POSSESSIVE_PERSON = re.compile(
    r"^\s+(?:mor|far|mamma|pappa|bror|søster|syster|mann|kone|kona|sønn|datter|dotter|barn|familie|"
    r"kollega|kolleger|sjef|leder|leiar|team|avdeling|forslag|idé|ide|innspill|rapport|arbeid|jobb|stilling)\b"
)
NEXT_TO_PERSON = re.compile(r"^ \[PERSON-\d+\]")
