"""Syllables of the language, and mending the ones OCR damaged ("Caơ điểm", "PRực hiện"), with the
Vietnamese word list underthesea ships.

Used by the OCR stage (which of two readings of a line to keep) and the clean stage (mending,
telling print from debris). A token that is no Vietnamese syllable at all is touched only when
exactly one syllable a few edits away forms a listed word with its neighbour ("cao điểm",
"thực hiện"). A real syllable is touched only for the one slip OCR makes that a dictionary can
see: a vowel's circumflex, breve or horn lost under the tone mark ("hóa chát" -> "hóa chất"),
and only when the syllable fits neither neighbour while exactly one such variant does. Anything
else stays as OCR read it, for a person to judge.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline.lang.letters import VIET_LETTERS, bare

MAX_EDITS = 2
_TOKEN = re.compile(r"^(?P<pre>[\"“(‘']*)(?P<core>.+?)(?P<post>[.,;:!?)”\"’']*)$")


_ONSET = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?(?P<rhyme>.*)$")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave, acute, tilde, hook, dot below
_MODIFIERS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
# Words so common that they stand beside anything: "của nhà" must not become "cửa nhà".
_FUNCTION_WORDS = frozenset({"của", "có"})


class Lexicon(NamedTuple):
    syllables: frozenset[str]
    ordered: list[str]  # the syllables sorted, for rapidfuzz
    pairs: frozenset[str]  # two-syllable words ("ngân sách")
    rhymes: frozenset[str]  # toneless rhymes ("uyên")
    by_bare_letters: dict[
        str, list[str]
    ]  # syllables by their letters without modifiers ("chất" under "chát")
    common_pairs: frozenset[
        str
    ]  # the two-syllable words of the shorter Viet22K list: "hạ tầng", not "hạ tằng"


@cache
def _lexicon() -> Lexicon:
    """Syllables, two-syllable words and toneless rhymes of underthesea's Viet74K list (lower case)."""
    words = _word_list("Viet74K")
    syllables = frozenset(s for w in words for s in w.split() if s.isalpha())
    by_bare_letters: dict[str, list[str]] = {}
    for s in syllables:
        by_bare_letters.setdefault(_without_modifiers(s), []).append(s)
    return Lexicon(syllables, sorted(syllables), _pairs(words), frozenset(_rhyme(s) for s in syllables),
                   by_bare_letters, _pairs(_word_list("Viet22K")))


def _word_list(name: str) -> set[str]:
    import underthesea

    path = Path(underthesea.__file__).parent / "corpus" / "data" / f"{name}.txt"
    return {
        unicodedata.normalize("NFC", w.strip().lower()) for w in path.read_text(encoding="utf-8").splitlines()
    }


def _pairs(words: set[str]) -> frozenset[str]:
    pairs = {w for w in words if w.count(" ") == 1}
    return frozenset(
        pairs | {_tone_on_first_vowel(w) for w in pairs}
    )  # the lists write "hoá chất", offices "hóa chất"


_OLD_TONE_PLACE = re.compile(r"(?<!q)([ou])([aey])([\u0300\u0301\u0303\u0309\u0323])(?=\s|$)")


def _tone_on_first_vowel(words: str) -> str:
    """The spelling that puts the tone of a final "oa", "oe", "uy" on its first vowel: "hoá" -> "hóa"."""
    return unicodedata.normalize("NFC", _OLD_TONE_PLACE.sub(r"\1\3\2", unicodedata.normalize("NFD", words)))


def _without_modifiers(syllable: str) -> str:
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", syllable) if c not in _MODIFIERS)
    )


def _makes_word(syllable: str, before: str, after: str, common: bool = False) -> bool:
    """*syllable* (lower case) forms a listed two-syllable word with the syllable before or after it."""
    pairs = _lexicon().common_pairs if common else _lexicon().pairs
    return bool(before and f"{before} {syllable}" in pairs) or bool(after and f"{syllable} {after}" in pairs)


def _rhyme(syllable: str) -> str:
    """The syllable's rhyme with its tone mark taken off ("nguyễn" -> "uyên")."""
    plain = unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", syllable) if c not in _TONES)
    )
    return _ONSET.match(plain)["rhyme"]


def _well_formed(syllable: str) -> bool:
    """Onset and rhyme both of the language, one tone at most: names missing from the list pass."""
    tones = sum(c in _TONES for c in unicodedata.normalize("NFD", syllable))
    rhyme = _rhyme(syllable)
    return tones <= 1 and bool(rhyme) and rhyme in _lexicon().rhymes


def mend(text: str) -> str:
    """*text* with each damaged syllable replaced where its neighbours leave one reading."""
    tokens = text.split(" ")
    cores = [_core(t) for t in tokens]

    def near(k: int) -> str:
        return cores[k].lower() if 0 <= k < len(cores) else ""

    for i, core in enumerate(cores):
        before, after = near(i - 1), near(i + 1)
        if _damaged(core) and (i == 0 or not core.istitle()):  # a capital inside a line starts a name
            fixed = _best(core.lower(), before, after)
        elif (
            core.islower() or core.isupper() or (i == 0 and core.istitle())
        ):  # a capital inside a line starts a name
            fixed = _lost_modifier(core.lower(), before, after, near(i - 2), near(i + 2))
        else:
            fixed = None
        if fixed:
            fixed = _cased_as(core, fixed)
            m = _TOKEN.match(tokens[i])
            tokens[i] = f"{m['pre']}{fixed}{m['post']}"
            cores[i] = fixed
    return " ".join(tokens)


def syllable_share(words: list[str]) -> float:
    """The share of *words* with letters that are syllables of the language (by the word list): most
    of any Vietnamese text, few of a text layer of glyph codes ("(cid:55)") or of a legacy 8-bit
    encoding read as Unicode ("KÕ HO¹CH")."""
    cores = [_core(w).lower() for w in words if any(c.isalpha() for c in w)]
    syllables = _lexicon().syllables
    return sum(c in syllables for c in cores) / len(cores) if cores else 0.0


def all_syllables(words: list[str], at_least: int = 2) -> bool:
    """Every word a syllable of the language and *at_least* of them: print, however unsure Tesseract
    was of it ("An Giang, ngày" read at confidence 0 beside a pen's blank), not a pen's scrawl."""
    cores = [_core(w).lower() for w in words]  # the list holds abbreviations too ("tp"): a vowel is asked
    return len(cores) >= at_least and all(c in _lexicon().syllables and re.search("[aeiouy]", bare(c))
                                          for c in cores)


def _cased_as(core: str, fixed: str) -> str:
    """*fixed* (lower case) in the case of the token it replaces: "CHẤT", "Chất", "chất"."""
    if core.isupper() and len(core) > 1:
        return fixed.upper()
    return fixed.capitalize() if core[0].isupper() else fixed


def choose_words(original: list[str], variants: list[list[str]], after: str = "") -> list[str]:
    """Word by word, the reading of a line that the other readings of it support.

    Variants that split the line into another number of words are not comparable and are left
    out. A word stays as first read unless (a) another reading of it makes a listed word with
    a neighbour where the first reading makes none ("ngần sách" -> "ngân sách"), or (b) all the
    other readings agree on something else and it is not inside a name.
    """
    variants = [v for v in variants if len(v) == len(original)]
    if not variants:
        return original
    chosen = list(original)
    context = original + [after] if after else original
    for i, first in enumerate(original):
        options = [v[i] for v in variants if v[i] != first]
        if not options:
            continue
        # A capital inside a line starts a name ("Điện Biên Đông"), which no word list holds:
        # only the first reading's own letters are trusted there.
        if len(options) == len(variants) and len(set(options)) == 1 and (i == 0 or not first[:1].isupper()):
            chosen[i] = options[0]
            continue
        if _in_word(first, context, i):
            continue
        fitting = [o for o in options if _in_word(o, context, i)]
        if fitting:
            chosen[i] = max(set(fitting), key=fitting.count)
    return chosen


def _in_word(token: str, line: list[str], i: int) -> bool:
    """*token* at position *i* of *line* makes a listed two-syllable word with a neighbour."""
    before = _core(line[i - 1]).lower() if i > 0 else ""
    after = _core(line[i + 1]).lower() if i + 1 < len(line) else ""
    return _makes_word(_core(token).lower(), before, after)


def _core(token: str) -> str:
    m = _TOKEN.match(token)
    return m["core"] if m else token


def _damaged(core: str) -> bool:
    """Letters only, not an abbreviation, and no syllable of the language."""
    if not core or not core.isalpha() or len(core) > 7 or core.isupper():
        return False
    if not re.search("[aeiouy]", bare(core)):  # no vowel: an abbreviation ("pdf"), not a damaged syllable
        return False
    if core.isascii() and not core[1:].islower():  # "TTr" (tờ trình): an abbreviation, not "PRực" (thực)
        return False
    if not any(c in VIET_LETTERS for c in core.lower()) and not core.isascii():
        return False
    return core.lower() not in _lexicon().syllables and not _well_formed(core.lower())


def _lost_modifier(core: str, before: str, after: str, before2: str = "", after2: str = "") -> str | None:
    """The one listed syllable that is *core* with a modifier added and fits a neighbour, where *core*
    fits none.

    Where several fit, the one that makes a common word, if only one does.
    """
    lexicon = _lexicon()
    if core in _FUNCTION_WORDS or core not in lexicon.syllables or _makes_word(core, before, after):
        return None
    tone = [c for c in unicodedata.normalize("NFD", core) if c in _TONES]
    # the word it would make must be common, and with a neighbour that is not already part of a word
    # with its own other neighbour ("trục giao thông" is no "trực giao")
    left = before if not _makes_word(before, before2, "") else ""
    right = after if not _makes_word(after, "", after2) else ""
    fitting = [s for s in lexicon.by_bare_letters.get(_without_modifiers(core), ())
               if s != core and _adds_modifiers(core, s, tone) and _makes_word(s, left, right, common=True)]
    return fitting[0] if len(fitting) == 1 else None


def _adds_modifiers(core: str, variant: str, tone: list[str]) -> bool:
    """*variant* is *core* with more modifiers and the same tone ("chát" -> "chất", not "chạt")."""
    marks = unicodedata.normalize("NFD", variant)
    return [c for c in marks if c in _TONES] == tone and \
        sum(c in _MODIFIERS for c in marks) > sum(c in _MODIFIERS for c in unicodedata.normalize("NFD", core))


def _best(core: str, before: str, after: str) -> str | None:
    near = process.extract(
        core, _lexicon().ordered, scorer=Levenshtein.distance, score_cutoff=MAX_EDITS, limit=None
    )
    fitting = [(cand, dist) for cand, dist, _ in near if _makes_word(cand, before, after)]
    if not fitting:
        return None
    closest = min(d for _, d in fitting)
    best = [c for c, d in fitting if d == closest]
    return best[0] if len(best) == 1 else None


_SYLLABLE_SHAPE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$"
)


def plausible_word(text: str) -> bool:
    """A Vietnamese syllable, a number or a listed-style abbreviation: not ink debris ("sưexz", "fBực")."""
    if " " in text.strip():  # words a fix split apart ("ngày tháng"): each must pass
        return all(plausible_word(part) for part in text.split())
    core = text.strip(".,;:!?()“”\"'-/")
    if not core or core.isdigit() or re.fullmatch(r"[\d/.,-]+", core):
        return bool(core)
    if all(part.isdigit() or part.isupper() and part.isalpha() for part in re.split(r"[-/]", core)):
        return True  # "UBND", and a symbol: "QĐ-XPVPHC", "NĐ-CP"
    return bool(_SYLLABLE_SHAPE.match(bare(core))) and (core[1:] == core[1:].lower())
