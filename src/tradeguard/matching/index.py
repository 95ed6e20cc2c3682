"""Candidate retrieval: an inverted index over the skeleton keys of list-name tokens.

Built once from the normalised list names, it holds

* ``postings``: skeleton key -> array of name ids holding a token with that key (only the
  distinctive tokens: names and numbers, never legal forms, titles or stopwords);
* ``deletes``: every key with one letter removed -> keys (a symmetric-delete table), so that
  a query token one edit away from a list token (typo, transposition, missing or extra
  letter) finds it without scanning the vocabulary;
* ``legal``: skeleton key -> the names holding it as a word of their legal form. They are
  not in ``postings`` (a legal form identifies nobody); a query cut short within the legal
  form of a long list name ("FEDERAL STATE BUDGETARY INSTITUTION" of "... OF CULTURE THE
  STATE HERMITAGE MUSEUM") is all that is left of the name, and reaches it through them;
* ``joined``: the key of every two adjacent tokens written as one ("abdul rahman" ->
  "abdulrahman"), so that a query that joins two tokens finds the name; the reverse (the
  query splits a token the list writes as one) is looked up from the query side;
* token weights: an inverse document frequency over entities, scaled to 0.1..1, so that rare
  tokens weigh more than common ones (frequencies come from the lists themselves).

``candidates`` sums, for every name reached, the weight of the query tokens that reached
it, drops names that cannot reach the threshold even if every other query token matched
as well as it possibly could, and returns the best ``limit`` by a Dice-like ratio. The
whole list is never scanned.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from tradeguard.matching.abjad import (
    cross_sims,
    join_classes,
    latin_classes,
    medial_h_readings,
    other_readings,
)
from tradeguard.matching.abjad import index_key as abjad_index_key
from tradeguard.matching.abjad import index_keys as abjad_index_keys
from tradeguard.matching.abjad import near_keys as abjad_near_keys
from tradeguard.matching.chinese import dotted, foreign_name_start, writes_foreign_name
from tradeguard.matching.heard import (
    SOUND_ALPHABETS,
    heard_keys,
    heard_sim,
    sound_readings,
    written_key,
)
from tradeguard.matching.loanwords import (
    latin_loan_classes,
    loan_keys,
    loan_sim,
    written_loan_classes,
)
from tradeguard.matching.national import national_readings, typo_readings
from tradeguard.matching.normalize import (
    INITIAL,
    LEGAL,
    NAME,
    NUMBER,
    OPTIONAL_ROLES,
    PARTICLE,
    SYLLABLE_KEYS,
    NameForm,
    deletes,
    hidden_break_classes,
    holds_patronymic,
    latin_syllable_keys,
    skeleton,
    variant_of,
)
from tradeguard.matching.packed import (
    FloatArray,
    PackReader,
    PackWriter,
    SortedView,
    SparseRows,
    StringMap,
    Strings,
    fields_of,
)
from tradeguard.matching.score import (
    ARTICLES,
    INITIAL_SHARE,
    SIM_GLOSS,
    SIM_JOINED,
    SIM_SYMBOL,
    SIM_TRANSLIT,
    SIM_TRUNCATED,
    TRUNCATION_MIN_CHARS,
    W_INITIAL,
    abjad_ben_pairs,
    ben_pairs,
    family_positions,
    joined_classes,
    joined_words,
    kunya_pairs,
    left_to_syllables,
    loan_syllables,
    loan_words,
    may_be_particle,
    national_key_sim,
    native_words,
    token_sim,
    unpaired_cost,
)
from tradeguard.matching.symbols import MIN_LATIN_LENGTH, has_items, load_items, word_symbols
from tradeguard.matching.typos import SHORTEST as TYPO_SHORTEST
from tradeguard.matching.typos import deletion_hashes, deletion_table
from tradeguard.matching.typos import reached as typo_reached

W_MIN = 0.1  # weight floor of the commonest tokens
SPELT_SIM = 0.85  # a look-up hit this close says a word is spelt like a list token (spelling_gaps)
W_UNKNOWN = 1.0  # weight of a query token that no list name has
IDF_MIN_N = 1000  # small entity sets are weighted as if this large
INDEXED_ROLES = (NAME, NUMBER)
FUZZY_MIN_LEN = 5  # shorter query tokens are looked up exactly only
FIRST_TOKEN_BONUS = 0.5  # ranking bonus for a cut query: the list name starts with its first word
PREFIX_MAX_KEYS = 3000  # a truncated last token reaches at most this many list tokens
# Ranking weight of the share of the query a name explains, beside the Dice-like ratio: a
# long list name that holds every query word outranks short names that hold some of them.
RANK_COVERAGE = 1.0
NAMES_PER_ENTITY = 3  # names of one entity among the candidates of a query, at most
# Ranking bonus for a person's name whose first given name starts with the query's first
# initial ("S. AL-TIKRITI": Sa'd ... al-Tikriti before Rana Saddam Hussein al-Tikriti), the
# given name the scorer aligns that initial with (score._align_initials).
RANK_FIRST_INITIAL = 0.25
# The key under which ``initials`` keeps the person names that hold an initial of a letter
# themselves ("Aiman Ahmad R AL-DUWAIK"), beside the names whose words a query's initial of
# that letter may stand for (the letter alone).
HELD_INITIAL = "."
# Ranking bonuses for a cut query among the names that explain as much of it: the name
# starts with the query's first word, and holds the words of the query's legal form
# ('LIMITED LIABILITY COMPANY "TRADING ' reaches 600 names holding "trading"; the cut one
# starts "LIMITED LIABILITY COMPANY TRADING ...", not "DAESONG TRADING").
RANK_CUT_START = 0.05
RANK_CUT_LEGAL = 0.05


def _strip(key: str) -> str:
    return key[1:] if key.startswith("~") else key


_Found = TypeVar("_Found")


def keys_needed(names: Iterable[str]) -> frozenset[str]:
    """What ``NameIndex.prepare_other_scripts`` must build for queries named ``names``:
    "sound" for a word of an alphabet read by its sound (Cyrillic, Greek, Indic ...:
    :mod:`.heard`), "j", "k" and "c" for kana, Hangul and a word of Chinese transcription
    characters (their loan keys), "cross" for those and every other script (abjads,
    Chinese, Burmese ...), "items" for a word of Chinese transcription characters (普京),
    which is always looked up by its name items. A Latin batch needs nothing
    (Vietnamese ễ is Latin): building every key for a batch with one Cyrillic name cost
    `tradeguard screen` of 1,000 names a second of its two."""
    needed: set[str] = set()
    for name in names:
        if name.isascii():
            continue
        han_read = False  # (the name's runs of Chinese characters are read once)
        for ch in name:
            if ord(ch) < _LATIN_END or not ch.isalpha():
                continue
            script = unicodedata.name(ch, "")
            if script.startswith("LATIN"):
                continue
            if script.startswith(SOUND_ALPHABETS):
                needed.add("sound")
                continue
            needed.add("cross")
            if script.startswith(("HIRAGANA", "KATAKANA")):
                needed.add("j")
            elif script.startswith("HANGUL"):
                needed.add("k")
            elif script.startswith("CJK UNIFIED") and not han_read:
                han_read = True
                runs = _HAN_RUN.findall(name)
                in_dotted_name = dotted(name)
                if any(writes_foreign_name(run, in_dotted_name) for run in runs):
                    needed.update(("c", "items"))
                elif any(map(foreign_name_start, runs)):
                    needed.add("c")  # (a firm's name that starts so: 摩托罗拉公司)
        if len(needed) == 6:
            break
    return frozenset(needed)


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")  # (CJK Unified Ideographs, and Extension A)
_LATIN_END = 0x250  # the Latin letters of the first blocks (Latin-1, Extended-A and -B) come before


def _remember(cache: dict[str, _Found], key: str, value: _Found, limit: int = 200_000) -> _Found:
    """Store ``value`` in a look-up cache, emptied when it grows past ``limit``."""
    if len(cache) > limit:
        cache.clear()
    cache[key] = value
    return value


def _values_at(reduced: tuple[np.ndarray, np.ndarray], ids: np.ndarray) -> np.ndarray:
    """The values of ``reduced`` (sorted unique ids, values) at ``ids`` (0 where absent)."""
    uniq, vals = reduced
    if not uniq.shape[0]:
        return np.zeros(ids.shape[0], dtype=np.float64)
    pos = np.minimum(np.searchsorted(uniq, ids), uniq.shape[0] - 1)
    return np.where(uniq[pos] == ids, vals[pos], 0.0)


def _sum_by_id(flat: np.ndarray, vals: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct ids of ``flat`` (sorted), the sum of ``vals`` per id, and the position of
    each entry's id among them. A stable sort and a sum per run: half the time of
    ``np.unique(return_inverse=True)`` and ``np.bincount`` on a query's postings, with the
    same sums, to the last bit (each id's values added in the order given, as bincount does)."""
    order = np.argsort(flat, kind="stable")
    ordered = flat[order]
    starts = np.empty(ordered.shape[0], dtype=bool)
    starts[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    ids = ordered[starts]
    inverse = np.empty(ordered.shape[0], dtype=np.int64)
    inverse[order] = np.cumsum(starts) - 1
    sums = np.bincount(inverse, weights=vals, minlength=ids.shape[0]).astype(np.float64, copy=False)  # (int when empty)
    return ids, sums, inverse


def _credit_at(ids: np.ndarray, credits: list[tuple[np.ndarray, float]]) -> np.ndarray:
    """Per id of ``ids`` (sorted), the sum of the values of the ``credits`` arrays that hold
    it (all arrays at once)."""
    held = np.concatenate([found for found, _value in credits])
    values = np.repeat(np.asarray([value for _found, value in credits], dtype=np.float64),
                       [found.shape[0] for found, _value in credits])
    held_ids, sums, _inverse = _sum_by_id(held, values)
    return _values_at((held_ids, sums), ids)


def _members(ids: np.ndarray, found: np.ndarray) -> np.ndarray:
    """Whether each of ``ids`` is in ``found`` (any order): ``np.isin`` for a few hundred
    ids, without its set-up cost."""
    if not found.shape[0]:
        return np.zeros(ids.shape[0], dtype=bool)
    found = np.sort(found)
    pos = np.minimum(np.searchsorted(found, ids), found.shape[0] - 1)
    return found[pos] == ids


def _best_of(*hit_lists: list[tuple[int, float]]) -> list[tuple[int, float]]:
    best: dict[int, float] = {}
    for hits in hit_lists:
        for kid, sim in hits:
            if sim > best.get(kid, 0.0):
                best[kid] = sim
    return list(best.items())


def _form_of(fields: tuple[Any, ...]) -> NameForm:
    return NameForm(*fields)


def joined_keys(form: NameForm) -> list[str]:
    """The keys of each run of adjacent words of a name that may be written as one ("abdul
    rahman" -> "abdulrahman", "abd el aziz" -> "abdelaziz"; ``joined_runs``)."""
    return [skeleton(word) for _run, word in joined_words(form.tokens, form.roles)]


def _first_given(form: NameForm) -> int:
    """The code of the first letter of a person name's first given name, 0 if none."""
    if not form.person:
        return 0
    family = family_positions(form)
    for j, (tok, role) in enumerate(zip(form.tokens, form.roles, strict=True)):
        if role in (NAME, PARTICLE) and j not in family:
            return ord(tok[0])
    return 0


def _longer_words(words: Sequence[str], token: str, limit: int) -> Iterator[str]:
    """The words of sorted ``words`` that start with ``token`` and are longer (what a word
    cut short may be cut from), of the first ``limit`` that start with it."""
    pos = bisect_left(words, token)
    end = min(len(words), pos + limit)
    while pos < end and words[pos].startswith(token):
        if words[pos] != token:
            yield words[pos]
        pos += 1


@dataclass(frozen=True, slots=True)
class TwoTypoTable:
    """Every key and raw token long enough to be two typos from a query word, by the
    hashes of its deletions (:mod:`.typos`; sorted), beside what each came from: a key id,
    or ``-1 - r`` for the raw token ``raws[r]``. About a million entries on the dev lists."""

    hashes: np.ndarray
    ids: np.ndarray
    raws: Sequence[str]


class NameIndex:
    """Inverted index over normalised names; name ids are positions in ``forms``.

    Built in memory from the forms (dicts and lists), or opened from a folder written by
    :meth:`save` (the same look-ups over memory-mapped arrays: :mod:`.packed`)."""

    forms: Sequence[NameForm]
    owners: np.ndarray
    keys: Sequence[str]
    key_ids: Mapping[str, int]
    postings: Sequence[np.ndarray]
    firsts: Mapping[int, np.ndarray]
    twice: Mapping[int, np.ndarray]
    legal: Mapping[int, np.ndarray]
    legal_words: dict[str, int]
    legal_sorted: list[str]
    weights: Sequence[float]
    key_weight: Mapping[str, float]
    joined: Mapping[str, np.ndarray]
    initials: Mapping[str, np.ndarray]
    raw_sorted: Sequence[str]
    raw_keys: Mapping[str, tuple[int, ...]]
    deletes: Mapping[str, list[int]]
    raw_deletes: Mapping[str, list[str]]
    national: Mapping[str, list[int]]
    name_totals: np.ndarray
    first_given: np.ndarray  # per name: the first letter of a person's first given name (0: none)
    holds_initial: np.ndarray  # per name: a person's name that holds an initial itself
    # per name: whether it holds a patronymic (holds_patronymic, as the scorer asks before
    # it lets a query's patronymic go at a share of its weight)
    with_patronymic: np.ndarray

    def __init__(self, forms: Sequence[NameForm], owners: Sequence[int],
                 pair_keys: Sequence[list[str]] | None = None) -> None:
        """``pair_keys``: ``joined_keys`` of each form, where the caller has them already."""
        self.forms = forms
        self.owners = np.asarray(owners, dtype=np.int32)
        n_entities = int(self.owners.max()) + 1 if len(owners) else 0
        key_ids: dict[str, int] = {}
        postings: list[list[int]] = []
        df: list[int] = []
        last_owner: list[int] = []
        joined: dict[str, list[int]] = {}
        initials: dict[str, list[int]] = {}
        firsts: dict[int, list[int]] = {}
        raw: dict[str, set[int]] = {}
        twice: dict[str, list[int]] = {}  # key -> names holding two tokens with that key
        legal: dict[int, list[int]] = {}
        legal_words: dict[str, int] = {}  # a legal-form word as written -> its key id
        for nid, form in enumerate(forms):
            owner = owners[nid]
            seen: set[str] = set()
            letters: set[str] = set()
            held: set[str] = set()  # the letters of its own initials
            first = next((k for k, r in zip(form.keys, form.roles, strict=True) if r in INDEXED_ROLES), None)
            for tok, key, role in zip(form.tokens, form.keys, form.roles, strict=True):
                if form.person and role in (NAME, INITIAL):
                    letters.add(tok[0])  # (a list name's own initials too: "KATKOV D. L.")
                    if role == INITIAL:
                        held.add(HELD_INITIAL + tok[0])
                if key in seen or role == INITIAL:
                    if key in seen and role in INDEXED_ROLES:
                        bucket = twice.setdefault(key, [])
                        if not bucket or bucket[-1] != nid:
                            bucket.append(nid)
                    continue
                seen.add(key)
                kid = key_ids.get(key)
                if kid is None:
                    kid = key_ids[key] = len(postings)
                    postings.append([])
                    df.append(0)
                    last_owner.append(-1)
                if role in INDEXED_ROLES:
                    postings[kid].append(nid)
                    raw.setdefault(tok, set()).add(kid)
                    if key == first:
                        firsts.setdefault(kid, []).append(nid)
                elif role == LEGAL:
                    legal.setdefault(kid, []).append(nid)
                    legal_words[tok] = kid
                if last_owner[kid] != owner:
                    df[kid] += 1
                    last_owner[kid] = owner
            for jkey in pair_keys[nid] if pair_keys is not None else joined_keys(form):
                bucket = joined.setdefault(jkey, [])
                if not bucket or bucket[-1] != nid:
                    bucket.append(nid)
            for letter in (*letters, *held):
                initials.setdefault(letter, []).append(nid)
        self.key_ids = key_ids
        self.keys = list(key_ids)
        self.postings = [np.asarray(p, dtype=np.int32) for p in postings]
        self.joined = {k: np.asarray(v, dtype=np.int32) for k, v in joined.items()}
        self.initials = {k: np.asarray(v, dtype=np.int32) for k, v in initials.items()}
        self.firsts = {k: np.asarray(v, dtype=np.int32) for k, v in firsts.items()}
        self.twice = {key_ids[k]: np.asarray(v, dtype=np.int32) for k, v in twice.items()}
        self.legal = {kid: np.asarray(v, dtype=np.int32) for kid, v in legal.items()}
        self.legal_words = dict(sorted(legal_words.items()))
        self.legal_sorted = list(self.legal_words)
        n_eff = max(n_entities, IDF_MIN_N)
        log_n = math.log(n_eff)
        self.weights = [max(W_MIN, min(1.0, math.log(n_eff / max(d, 1)) / log_n)) for d in df]
        self.key_weight = dict(zip(self.keys, self.weights, strict=True))
        self.raw_sorted = sorted(raw)
        self.raw_keys = {t: tuple(sorted(k)) for t, k in raw.items()}
        # One-letter deletions of every indexed key and of every raw token (the raw form
        # catches typos that change a letter the skeleton folds, e.g. "phedorov" for "pedorov").
        key_deletes: dict[str, list[int]] = {}
        for key, kid in key_ids.items():
            if not self.postings[kid].size:
                continue
            bare = _strip(key)
            if len(bare) < FUZZY_MIN_LEN or bare.isdigit():
                continue
            for d in deletes(bare):
                key_deletes.setdefault(d, []).append(kid)
        raw_deletes: dict[str, list[str]] = {}
        for tok, kids in self.raw_keys.items():
            if len(tok) < FUZZY_MIN_LEN or tok.isdigit() or (len(kids) == 1 and _strip(self.keys[kids[0]]) == tok):
                continue  # written as its key: the key's deletions cover it
            for d in deletes(tok):
                raw_deletes.setdefault(d, []).append(tok)
        self.deletes = key_deletes
        self.raw_deletes = raw_deletes
        # List tokens another language romanises (national.py: the EU's "Cholin",
        # "Krjutjkov"), by the key of each reading as English spells it: a query written as
        # English spells the name ("Kryuchkov") finds them, as a query written as another
        # language does finds the English spelling by its own readings (``lookup``).
        national: dict[str, set[int]] = {}
        for tok, kids in self.raw_keys.items():
            for reading in national_readings(tok):
                national.setdefault(skeleton(reading), set()).update(kids)
        self.national = {key: sorted(kids) for key, kids in national.items()}
        self._start_caches()
        # Total distinctive weight per name (for ranking candidates).
        totals = np.zeros(len(forms), dtype=np.float32)
        for nid, form in enumerate(forms):
            totals[nid] = sum(self.list_weights(form))
        self.name_totals = totals
        self.first_given = np.fromiter((_first_given(form) for form in forms), dtype=np.uint32, count=len(forms))
        self.holds_initial = np.zeros(len(forms), dtype=np.bool_)  # per name: a person's with an initial
        for key, nids in self.initials.items():
            if key.startswith(HELD_INITIAL):
                self.holds_initial[nids] = True
        self.with_patronymic = np.fromiter(
            (holds_patronymic(form.keys) for form in forms), dtype=np.bool_, count=len(forms)
        )

    def _start_caches(self) -> None:
        # Cross-script keys are built on the first query in another script: a Latin-only
        # workload never pays for them.
        self.cross: Mapping[str, Collection[str]] | None = None
        self.cross_deletes: Mapping[str, Collection[str]] | None = None
        self.class_keys: Mapping[str, Collection[int]] | None = None
        self.syllables: Mapping[str, Collection[str]] | None = None
        self.cross_pairs: Mapping[str, Collection[str]] | None = None
        self.pair_names: Mapping[str, np.ndarray] | None = None
        self.loans: dict[str, dict[str, set[str]]] = {}  # per language, on its first query
        self.symbols: dict[str, set[str]] | None = None  # name items, on the first spelling gap
        self._symbol_cache: dict[str, list[tuple[int, float]]] = {}
        self._cross_cache: dict[str, list[tuple[int, float]]] = {}
        self._loan_cache: dict[str, list[tuple[int, float]]] = {}
        self.heard: Mapping[str, Collection[str]] | None = None  # on the first query that needs it
        self._heard_cache: dict[str, list[tuple[int, float]]] = {}
        self._pair_cache: dict[str, list[tuple[str, float]]] = {}
        self._lookup_cache: dict[str, list[tuple[int, float]]] = {}
        self._two_typos: TwoTypoTable | None = None  # on the first long token (_two_typos_table)

    def __len__(self) -> int:
        return len(self.forms)

    # --- persistence (see :mod:`.packed`) ---------------------------------------------

    def save(self, out: PackWriter) -> None:
        """Write the index as flat arrays and interned strings (the forms as records)."""
        n_keys = len(self.keys)
        out.strings("keys", self.keys)
        out.ragged("postings", self.postings)
        out.ragged("firsts", (self.firsts.get(kid, ()) for kid in range(n_keys)))
        out.ragged("twice", (self.twice.get(kid, ()) for kid in range(n_keys)))
        out.ragged("legal", (self.legal.get(kid, ()) for kid in range(n_keys)))
        out.strings("legal_words", self.legal_sorted)
        out.array("legal_word_keys", list(self.legal_words.values()), np.int32)
        out.array("weights", self.weights, np.float64)
        for name, table in (("joined", self.joined), ("initials", self.initials), ("deletes", self.deletes)):
            out.strings(f"{name}_keys", list(table))
            out.ragged(name, table.values())
        raw = list(self.raw_keys)
        raw_id = {tok: i for i, tok in enumerate(raw)}
        out.strings("raw", raw)
        out.ragged("raw_keys", (self.raw_keys[tok] for tok in raw))
        out.array("raw_order", [raw_id[tok] for tok in self.raw_sorted], np.int32)
        out.strings("raw_deletes_keys", list(self.raw_deletes))
        out.ragged("raw_deletes", ([raw_id[tok] for tok in toks] for toks in self.raw_deletes.values()))
        out.strings("national_keys", list(self.national))
        out.ragged("national", self.national.values())
        self._save_cross(out, raw_id)
        typos = self._two_typos_table()  # (its raw tokens are numbered as ``raw``)
        out.array("two_typos_hashes", typos.hashes)
        out.array("two_typos_ids", typos.ids)
        out.array("owners", self.owners, np.int32)
        out.array("name_totals", self.name_totals, np.float32)
        out.array("first_given", self.first_given, np.uint32)
        out.array("with_patronymic", self.with_patronymic, np.bool_)
        out.array("holds_initial", self.holds_initial, np.bool_)
        out.records("forms", self.forms, encode=fields_of)

    def _save_cross(self, out: PackWriter, raw_id: dict[str, int]) -> None:
        """The cross-script keys and the sound keys (built now if no query has built them
        yet): a batch with one Cyrillic name would otherwise build the sound keys, half a
        second on the dev lists, before it screens."""
        self._build_cross_keys()
        assert self.cross is not None and self.cross_deletes is not None and self.class_keys is not None
        assert self.syllables is not None and self.cross_pairs is not None and self.pair_names is not None
        classes = list(dict.fromkeys([*self.class_keys, *self.pair_names]))
        class_id = {c: i for i, c in enumerate(classes)}
        out.strings("classes", classes)
        out.ragged("class_keys", (sorted(self.class_keys.get(c, ())) for c in classes))
        out.ragged("pair_names", (self.pair_names.get(c, ()) for c in classes))
        for name, table in (("cross", self.cross), ("cross_deletes", self.cross_deletes),
                            ("cross_pairs", self.cross_pairs)):
            out.strings(f"{name}_keys", list(table))
            out.ragged(name, (sorted(class_id[c] for c in found) for found in table.values()))
        out.strings("syllables_keys", list(self.syllables))
        out.ragged("syllables", (sorted(raw_id[t] for t in found) for found in self.syllables.values()))
        sounds = self.sound_keys()
        out.strings("sound_keys", list(sounds))
        out.ragged("sounds", (sorted(raw_id[t] for t in found) for found in sounds.values()))

    def _open_cross(self, src: PackReader, raw: Strings) -> None:
        classes = src.strings("classes")
        class_keys, pair_names = src.ragged("class_keys"), src.ragged("pair_names")
        self.class_keys = StringMap(classes, lambda i: class_keys[i].tolist())
        self.pair_names = StringMap(classes, pair_names.__getitem__)

        def spellings(name: str) -> StringMap[list[str]]:
            rows = src.ragged(name)
            return StringMap(src.strings(f"{name}_keys"), lambda i: [classes[int(c)] for c in rows[i]])

        self.cross, self.cross_deletes, self.cross_pairs = (
            spellings("cross"), spellings("cross_deletes"), spellings("cross_pairs"))
        syllables = src.ragged("syllables")
        self.syllables = StringMap(src.strings("syllables_keys"), lambda i: [raw[int(r)] for r in syllables[i]])
        sounds = src.ragged("sounds")
        self.heard = StringMap(src.strings("sound_keys"), lambda i: [raw[int(r)] for r in sounds[i]])

    @classmethod
    def open(cls, src: PackReader) -> NameIndex:
        """An index saved by :meth:`save`, memory-mapped: nothing per token is loaded."""
        index = cls.__new__(cls)
        keys = src.strings("keys")
        weights = src.array("weights")
        index.forms = src.records("forms", decode=_form_of)
        index.owners = src.array("owners")
        index.name_totals = src.array("name_totals")
        index.first_given = src.array("first_given")
        index.with_patronymic = src.array("with_patronymic")
        index.holds_initial = src.array("holds_initial")
        index.keys = keys
        index.key_ids = StringMap(keys, lambda kid: kid)
        index.postings = src.ragged("postings")
        index.firsts = SparseRows(src.ragged("firsts"))
        index.twice = SparseRows(src.ragged("twice"))
        index.legal = SparseRows(src.ragged("legal"))
        # A few hundred words: read whole.
        index.legal_words = dict(zip(src.strings("legal_words"), src.array("legal_word_keys").tolist(), strict=True))
        index.legal_sorted = list(index.legal_words)
        index.weights = FloatArray(weights)
        index.key_weight = StringMap(keys, lambda kid: float(weights[kid]))
        for name in ("joined", "initials"):
            rows = src.ragged(name)
            setattr(index, name, StringMap(src.strings(f"{name}_keys"), rows.__getitem__))
        delete_rows = src.ragged("deletes")
        index.deletes = StringMap(src.strings("deletes_keys"), lambda i: delete_rows[i].tolist())
        raw = src.strings("raw")
        raw_keys = src.ragged("raw_keys")
        index.raw_keys = StringMap(raw, lambda i: tuple(raw_keys[i].tolist()))
        index.raw_sorted = SortedView(raw, src.array("raw_order"))
        raw_deletes = src.ragged("raw_deletes")
        index.raw_deletes = StringMap(src.strings("raw_deletes_keys"),
                                      lambda i: [raw[int(r)] for r in raw_deletes[i]])
        national = src.ragged("national")
        index.national = StringMap(src.strings("national_keys"), lambda i: national[i].tolist())
        index._start_caches()
        index._open_cross(src, raw)
        index._two_typos = TwoTypoTable(src.array("two_typos_hashes"), src.array("two_typos_ids"), raw)
        return index

    def _build_abjad_keys(self) -> None:
        """Consonant-class keys of the list tokens written in Latin letters, for queries
        written in an abjad (see :mod:`.abjad`): folded key -> class strings, and the same
        for keys with one class deleted (a letter one side writes and the other not); and
        class string -> key ids of the tokens spelt that way."""
        cross: dict[str, set[str]] = {}
        cross_deletes: dict[str, set[str]] = {}
        class_keys: dict[str, set[int]] = {}
        for tok, kids in self.raw_keys.items():
            if tok.isdigit():
                continue
            # (Cemil is also جميل, Alexei أليكسي, Jacques جاك)
            for classes in (latin_classes(tok), *map(latin_classes, other_readings(tok))):
                key = abjad_index_key(classes)
                if not key:
                    continue
                class_keys.setdefault(classes, set()).update(kids)
                cross.setdefault(key, set()).add(classes)
                if len(key) >= 3:
                    for d in deletes(key):
                        cross_deletes.setdefault(d, set()).add(classes)
        self.cross, self.cross_deletes, self.class_keys = cross, cross_deletes, class_keys

    def _build_cross_pairs(self) -> None:
        """Consonant classes of two adjacent Latin-written words of a list name read as one
        ("Nasr Allah", "AHMADI-MOQADDAM", "Ben HASSINE"), for an abjad word that writes them
        together (نصرالله, احمدی‌مقدم, بنحسين): folded key -> class strings; class string -> name ids."""
        by_key: dict[str, set[str]] = {}
        names: dict[str, list[int]] = {}
        for nid, form in enumerate(self.forms):
            if form.xkeys:
                continue
            toks, roles = form.tokens, form.roles
            bens = {k for k, _name in ben_pairs(form)}
            for j in range(len(toks) - 1):
                if j not in bens and (roles[j] != NAME or roles[j + 1] != NAME or toks[j].isdigit() or toks[j + 1].isdigit()):
                    continue
                classes = join_classes(latin_classes(toks[j]), latin_classes(toks[j + 1]))
                keys = {abjad_index_key(reading) for reading in medial_h_readings(classes)} - {""}
                if not keys:
                    continue
                for key in keys:
                    by_key.setdefault(key, set()).add(classes)
                bucket = names.setdefault(classes, [])
                if not bucket or bucket[-1] != nid:
                    bucket.append(nid)
        self.cross_pairs = by_key
        self.pair_names = {k: np.asarray(v, dtype=np.int32) for k, v in names.items()}

    def cross_pair_lookup(self, classes: str) -> list[tuple[str, float]]:
        """Adjacent pairs of Latin-written list words that one abjad word (its consonant
        classes) may write as one: (the pair's classes, similarity)."""
        cached = self._pair_cache.get(classes)
        if cached is not None:
            return cached
        if self.cross_pairs is None:
            self._build_cross_pairs()
        assert self.cross_pairs is not None
        spellings = list({pair for key in abjad_index_keys(classes) for pair in self.cross_pairs.get(key, ())})
        found = [(pair, sim) for pair, sim in zip(spellings, cross_sims(classes, spellings), strict=True) if sim > 0]
        return _remember(self._pair_cache, classes, found)

    def symbol_lookup(self, word: str) -> list[tuple[int, float]]:
        """Keys of Latin-written list tokens that are one given or family name with a word
        written in another script (:mod:`.symbols`)."""
        cached = self._symbol_cache.get(word)
        if cached is not None:
            return cached
        found: dict[int, float] = {}
        mine = word_symbols(word)
        if mine:
            if self.symbols is None:
                self._build_symbol_keys()
            assert self.symbols is not None
            for symbol in mine:
                for raw in self.symbols.get(symbol, ()):
                    for kid in self.raw_keys[raw]:
                        found[kid] = SIM_SYMBOL
        return _remember(self._symbol_cache, word, list(found.items()))

    def _build_symbol_keys(self) -> None:
        """Wikidata name items of the Latin list tokens -> tokens (on the first query that
        needs them)."""
        table: dict[str, set[str]] = {}
        for tok in self.raw_keys:
            if len(tok) >= MIN_LATIN_LENGTH and tok.isascii() and tok.isalpha():
                for symbol in word_symbols(tok):
                    table.setdefault(symbol, set()).add(tok)
        self.symbols = table

    def loan_lookup(self, romanized: str, language: str = "j", syllables: int = 0) -> list[tuple[int, float]]:
        """Keys of Latin-written list tokens that a kana or Hangul word (its romanisation;
        ``language`` "j" or "k"; a Hangul or Chinese word's ``syllables``) may write as a
        foreign name (Robert, ロバート robato, 로버트; see :mod:`.loanwords`)."""
        cache_key = f"{language}{int(syllables >= 3)}:{romanized}"  # (all that left_to_syllables reads of it)
        cached = self._loan_cache.get(cache_key)
        if cached is not None:
            return cached
        table = self.loans.get(language)
        if table is None:
            table = self.loans[language] = self._loan_keys(language)
        raws: set[str] = set()
        for key in loan_keys(written_loan_classes(romanized, language), language, written=True):
            for probe in (key, *(deletes(key) if len(key) >= 3 else ())):
                raws.update(table.get(probe, ()))
        found: dict[int, float] = {}
        for raw in raws:
            if left_to_syllables(language, syllables, raw):
                continue  # a Latin word that reads as Japanese or Korean is met by its syllable keys
            sim = loan_sim(romanized, raw, language)
            if sim > 0:
                for kid in self.raw_keys[raw]:
                    found[kid] = max(sim, found.get(kid, 0.0))
        return _remember(self._loan_cache, cache_key, list(found.items()))

    def heard_lookup(self, romanized: str) -> list[tuple[int, float]]:
        """Keys of Latin-written list tokens that a word an alphabet writes by its sound
        (its romanisation: Джон, "dzhon") may write (John; see :mod:`.heard`)."""
        cached = self._heard_cache.get(romanized)
        if cached is not None:
            return cached
        table = self.sound_keys()
        found: dict[int, float] = {}
        key = written_key(romanized)
        for raw in table.get(key, ()) if len(key) >= 2 else ():  # (one consonant is no evidence)
            sim = heard_sim(romanized, raw)
            if sim > 0:
                for kid in self.raw_keys[raw]:
                    found[kid] = max(sim, found.get(kid, 0.0))
        return _remember(self._heard_cache, romanized, list(found.items()))

    def prepare_other_scripts(self, needed: Collection[str] | None = None) -> None:
        """Build now the keys a query in another script looks up, which are otherwise built
        on the first such query (a few seconds in all on the shared lists): the abjad
        classes, the pairs of Latin words and the syllable keys ("cross"), the sound keys
        ("sound"), the kana, Hangul and Chinese loan keys ("j", "k", "c"); those ``needed`` (see
        :func:`keys_needed`), or all. Before workers are forked, so that they share one copy
        instead of each building its own; in a server's warm-up. The Wikidata name items
        (hundreds of MB, for names no spelling rule reads) are loaded only when ``needed``
        asks for them ("items"), else on the first word that looks them up."""
        if needed is None or "cross" in needed:
            self._build_cross_keys()
        if needed is None or "sound" in needed:
            self.sound_keys()
        for language in ("j", "k", "c"):
            if (needed is None or language in needed) and language not in self.loans:
                self.loans[language] = self._loan_keys(language)
        if needed is not None and "items" in needed:
            load_items()

    def _build_cross_keys(self) -> None:
        """The keys a saved index holds for names in other scripts (abjad classes, pairs of
        Latin words, syllable keys), those not built yet."""
        if self.cross is None:
            self._build_abjad_keys()
        if self.syllables is None:
            self._build_syllable_keys()
        if self.cross_pairs is None:
            self._build_cross_pairs()

    def sound_keys(self) -> Mapping[str, Collection[str]]:
        """Sound keys of the Latin list tokens -> tokens, built on the first call (about
        0.5 s for every list; a server builds them while it warms up). A whole consonant
        apart costs more than a sound reading allows, so a key is looked up as it is."""
        if self.heard is None:
            table: dict[str, set[str]] = {}
            for tok in self.raw_keys:
                if tok.isdigit() or not tok.isascii() or len(tok) < MIN_LATIN_LENGTH:
                    continue
                for key in heard_keys(tok):
                    table.setdefault(key, set()).add(tok)
            self.heard = table
        return self.heard

    def _loan_keys(self, language: str) -> dict[str, set[str]]:
        """Loan keys (and their one-letter deletions) of the Latin list tokens -> tokens."""
        loans: dict[str, set[str]] = {}
        for tok in self.raw_keys:
            if tok.isdigit() or not tok.isascii():
                continue
            for key in {k for classes in latin_loan_classes(tok, language) for k in loan_keys(classes, language)}:
                for probe in (key, *(deletes(key) if len(key) >= 4 else ())):
                    loans.setdefault(probe, set()).add(tok)
        return loans

    def spelling_gaps(self, form: NameForm) -> frozenset[int]:
        """The positions of the words ``form`` writes in another script that no list token
        is spelt like: a word whose look-ups (spelling, cross-script classes, translations,
        a kana word's syllable keys) reach nothing, and every word of several syllables
        (Chinese, Hangul; see ``score.native_words``). Only these may meet a name by its
        Wikidata items (``score._symbol_candidates``); a loan reading (loanwords.py) is
        weaker evidence than an item, so it does not close a gap."""
        gaps: set[int] = set()
        words = native_words(form)
        for positions in words:
            i = positions[0]
            if not has_items(form.native[i]):
                continue  # no items to fill a gap with
            xkey = form.xkeys[i] if form.xkeys else ""
            if xkey[1:2] != ":":  # an abjad word or a word ICU transliterates (Greek, Hebrew, Indic ...)
                reached = any(self._spelt(form, k) for k in positions)
            else:  # syllables: their keys, not a loan reading, say the word is spelt
                reached = len(positions) == 1 and bool(self.cross_lookup(xkey))
            if not reached:
                gaps.update(positions)
        return frozenset(gaps)

    def _spelt(self, form: NameForm, i: int) -> bool:
        """Whether list tokens are spelt like token ``i`` (not written in syllables) closely
        enough to be the same name (a look-up's looser hits, Giannis for Yannis, are not)."""
        xkey = form.xkeys[i] if form.xkeys else ""
        hits = self.cross_lookup(xkey) + self.gloss_lookup(form, i) if xkey else self.lookup(form.tokens[i], form.keys[i])
        return any(sim >= SPELT_SIM for _kid, sim in hits)

    def _loans_of(self, form: NameForm, i: int) -> list[tuple[int, float]]:
        """``loan_lookup`` for token ``i`` of ``form`` when it is kana, or a syllable of a
        word that may write a foreign name by its sound (``score.loan_words``: a Hangul word
        of two or more syllables, a word of Chinese transcription characters; the word's
        reading is looked up)."""
        xkey = form.xkeys[i] if form.xkeys else ""
        if xkey.startswith("j:"):
            return self.loan_lookup(form.tokens[i], "j")
        if xkey.startswith(("k:", "c:")) and form.native:
            for language, word, reading in loan_words(form):
                if i in word:
                    return self.loan_lookup(reading, language, loan_syllables(form, language, word))
        return []

    def _build_syllable_keys(self) -> None:
        """Syllable keys (Korean, Burmese, Japanese, Chinese) of the Latin list tokens that
        read as one syllable of that language -> the tokens."""
        syllables: dict[str, set[str]] = {}
        for tok in self.raw_keys:
            if len(tok) <= 8 and not tok.isdigit():
                for prefix in SYLLABLE_KEYS.values():
                    for skey in latin_syllable_keys(prefix, tok):
                        syllables.setdefault(f"{prefix}:{skey}", set()).add(tok)
        self.syllables = syllables

    def cross_lookup(self, classes: str) -> list[tuple[int, float]]:
        """Keys of Latin-written list tokens that an abjad word (its consonant classes)
        may be written as: (key id, similarity)."""
        cached = self._cross_cache.get(classes)
        if cached is not None:
            return cached
        if classes[1:2] == ":":
            # A syllable key (Hangul, Burmese, kana): the Latin tokens spelling that syllable.
            if self.syllables is None:
                self._build_syllable_keys()
            assert self.syllables is not None
            spelt = [(kid, SIM_TRANSLIT) for raw in self.syllables.get(classes, ()) for kid in self.raw_keys[raw]]
            return _remember(self._cross_cache, classes, spelt)
        if self.cross is None:
            self._build_abjad_keys()
        assert self.cross is not None and self.cross_deletes is not None and self.class_keys is not None
        spellings: set[str] = set()
        for key in abjad_index_keys(classes):
            spellings.update(self.cross.get(key, ()))
            if len(key) >= 2:
                spellings.update(self.cross_deletes.get(key, ()))
            if len(key) >= 3:
                # A letter one side writes and the other not. (Cheap substitutions share a
                # folded key already; other substitutions are left to typo-free spellings.)
                for d in deletes(key):
                    spellings.update(self.cross.get(d, ()))
            for near in abjad_near_keys(key):
                # A letter read as one the fold keeps apart at a cheap cost (كل Kul, Gul).
                spellings.update(self.cross.get(near, ()))
        found: dict[int, float] = {}
        ordered = list(spellings)
        for latin, sim in zip(ordered, cross_sims(classes, ordered), strict=True):
            if sim <= 0:
                continue
            for kid in self.class_keys[latin]:
                if sim > found.get(kid, 0.0):
                    found[kid] = sim
        return _remember(self._cross_cache, classes, list(found.items()))

    # --- weights --------------------------------------------------------------------

    def list_weights(self, form: NameForm) -> list[float]:
        kw = self.key_weight
        return [
            W_INITIAL if role == INITIAL else kw.get(key, W_UNKNOWN)
            for key, role in zip(form.keys, form.roles, strict=True)
        ]

    def query_weights(self, form: NameForm) -> list[float]:
        out: list[float] = []
        for i, (tok, key, role) in enumerate(zip(form.tokens, form.keys, form.roles, strict=True)):
            if role == INITIAL:
                out.append(W_INITIAL)
                continue
            w = self.key_weight.get(key)
            if w is None:
                hits = self.lookup(tok, key) if role in INDEXED_ROLES else []
                w = max((self.weights[kid] for kid, _sim in hits), default=W_UNKNOWN)
            xkey = form.xkeys[i] if form.xkeys else ""
            if xkey and role in INDEXED_ROLES and (xkey[1:2] != ":" or key not in self.key_weight):
                # Written in an abjad: as rare as the Latin spellings it is closest to.
                # Ambiguous readings (محمد: Muhammad or Mahmud) weigh as the commonest.
                hits = [(kid, sim) for kid, sim in self.cross_lookup(xkey) if self.postings[kid].size]
                if not hits and xkey[:2] in ("j:", "k:", "c:"):
                    hits = [(kid, sim) for kid, sim in self._loans_of(form, i) if self.postings[kid].size]
                if hits:
                    best = max(sim for _kid, sim in hits)
                    w = min(self.weights[kid] for kid, sim in hits if sim >= best - 0.05)
                # A word of an organisation's name weighs as its commonest translation too
                # ("جماعة": group).
                w = min([w, *(self.weights[kid] for kid, _sim in self.gloss_lookup(form, i))])
            out.append(w)
        return out

    # --- retrieval ------------------------------------------------------------------

    def gloss_lookup(self, form: NameForm, i: int) -> list[tuple[int, float]]:
        """Keys of the list tokens that translate abjad token ``i`` of ``form`` (its
        glosses, see ``abjad.glosses_of``)."""
        if not form.glosses or not form.glosses[i]:
            return []
        found = []
        for gloss in form.glosses[i]:
            for word in gloss.split():  # (a two-word gloss, "middle east": either word)
                kid = self.key_ids.get(skeleton(word))
                if kid is not None and self.postings[kid].size:
                    found.append((kid, SIM_GLOSS))
        return found

    def lookup(self, token: str, key: str) -> list[tuple[int, float]]:
        """Keys of list tokens similar to a query token: (key id, similarity)."""
        cache_key = token + "|" + key
        cached = self._lookup_cache.get(cache_key)
        if cached is not None:
            return cached
        found: dict[int, float] = {}
        kid = self.key_ids.get(key)
        if kid is not None and self.postings[kid].size:
            found[kid] = 1.0
        probe: set[int] = set()
        raw_probe: set[str] = set()  # list tokens one edit from the query token as written
        # A token romanised by another language's system is looked up as English writes
        # it too (German "jelzin": "yeltsin"; national.py), and one edit from that where
        # its system allows a typo on top (national.typo_readings).
        for reading in national_readings(token):
            reading_key = skeleton(reading)
            other = self.key_ids.get(reading_key)
            if other is not None and self.postings[other].size:
                found[other] = max(found.get(other, 0.0), national_key_sim(reading_key))
        for other in self.national.get(key, ()):  # (a list token read so: "cholin" for "kholin")
            found[other] = max(found.get(other, 0.0), national_key_sim(key))
        for form in {_strip(key), token, *typo_readings(token)}:
            if len(form) < FUZZY_MIN_LEN - 1 or form.isdigit():
                continue
            # List tokens one letter longer (the query dropped a letter) ...
            probe.update(self.deletes.get(form, ()))
            raw_probe.update(self.raw_deletes.get(form, ()))
            if len(form) < FUZZY_MIN_LEN:
                continue
            # ... one letter shorter (the query added one) or one letter changed.
            for d in deletes(form):
                for other_key in (d, "~" + d, variant_of(d)):
                    if other_key is None:
                        continue
                    other = self.key_ids.get(other_key)
                    if other is not None and self.postings[other].size:
                        probe.add(other)
                if d in self.raw_keys:
                    raw_probe.add(d)
                probe.update(self.deletes.get(d, ()))
                raw_probe.update(self.raw_deletes.get(d, ()))
        self._pair_up(token, key, probe, raw_probe, found)
        return _remember(self._lookup_cache, cache_key, list(found.items()))

    def _pair_up(self, token: str, key: str, kids: Iterable[int], raws: Iterable[str],
                 found: dict[int, float], skip: Collection[int] = ()) -> None:
        """Add to ``found`` those of the keys ``kids``, and of the keys of the raw tokens
        ``raws``, that the scorer pairs with a query token, at the best similarity of
        each; a key in ``found`` before, or in ``skip``, is not compared as a key."""
        for other in kids:
            if other in found or other in skip:
                continue
            okey = self.keys[other]
            sim, _how = token_sim(token, key, _strip(okey), okey)
            if sim > 0:
                found[other] = sim
        for raw_tok in raws:
            for other in self.raw_keys[raw_tok]:
                if other in skip:
                    continue
                sim, _how = token_sim(token, key, raw_tok, self.keys[other])
                if sim > found.get(other, 0.0):
                    found[other] = sim

    def two_typos_lookup(self, token: str, key: str) -> list[tuple[int, float]]:
        """Keys of list tokens two letters from a query token of a length that may hold two
        typos (``score.TWO_TYPOS_MIN_LEN``), which ``lookup`` does not reach (Petroviya,
        Petrovich): (key id, similarity). Apart from ``lookup``, whose hits also weigh an
        unknown query token (``query_weights``): a word two typos away says less about
        how rare the query's word is."""
        cache_key = "2|" + token + "|" + key
        cached = self._lookup_cache.get(cache_key)
        if cached is not None:
            return cached
        found: dict[int, float] = {}
        if max(len(key), len(token)) >= TYPO_SHORTEST and not token.isdigit():
            keys, raws = self._two_typos_of({_strip(key), token})
            self._pair_up(token, key, keys, raws, found, skip={kid for kid, _sim in self.lookup(token, key)})
        return _remember(self._lookup_cache, cache_key, list(found.items()))

    def _two_typos_of(self, forms: set[str]) -> tuple[set[int], set[str]]:
        """The keys (ids) and the raw tokens up to two letters from any of ``forms`` (a
        query token and its key), by their deletions (:mod:`.typos`)."""
        kids: set[int] = set()
        raws: set[str] = set()
        wanted = [deletion_hashes(form) for form in forms]
        table = self._two_typos_table()
        for ident in typo_reached(table.hashes, table.ids, np.unique(np.concatenate(wanted))):
            if ident >= 0:
                kids.add(ident)
            else:
                raws.add(table.raws[-1 - ident])
        return kids, raws

    def prepare_two_typos(self) -> None:
        """Build now the table of words two typos apart (``_two_typos_table``), which is
        otherwise built on the first long query word no list token spells: before a
        batch's workers are forked, so that they share one copy."""
        self._two_typos_table()

    def _two_typos_table(self) -> TwoTypoTable:
        """The table of ``_two_typos_of``, built on the first long token looked up (0.2 s
        on the dev lists; a saved index holds it)."""
        if self._two_typos is None:
            keys = [(kid, bare) for kid, key in enumerate(self.keys)
                    if len(bare := _strip(key)) >= TYPO_SHORTEST and not bare.isdigit() and self.postings[kid].size]
            raws = list(self.raw_keys)
            # (a token written as its key is met through the key)
            written = [(-1 - r, tok) for r, tok in enumerate(raws) if len(tok) >= TYPO_SHORTEST and not tok.isdigit()
                       and not (len(kids := self.raw_keys[tok]) == 1 and _strip(self.keys[kids[0]]) == tok)]
            self._two_typos = TwoTypoTable(*deletion_table([*keys, *written]), raws)
        return self._two_typos

    def prefix_lookup(self, token: str) -> list[int]:
        """Keys of list tokens that start with ``token`` (a name cut short)."""
        out: set[int] = set()
        for tok in _longer_words(self.raw_sorted, token, PREFIX_MAX_KEYS):
            out.update(self.raw_keys[tok])
        return list(out)

    def legal_prefix_lookup(self, token: str) -> list[int]:
        """Keys of the legal-form words that start with ``token`` ("COMP" of "COMPANY")."""
        words = _longer_words(self.legal_sorted, token, len(self.legal_sorted))
        return list(dict.fromkeys(self.legal_words[word] for word in words))

    def _best_per_name(
        self, hits: list[tuple[int, float]], weight: float,
        more: Sequence[tuple[np.ndarray, float]] = (),
    ) -> tuple[np.ndarray, np.ndarray]:
        """(name ids, value): for each name reached by ``hits`` (key ids) or ``more`` (name
        ids), the best similarity x weight."""
        arrs = [self.postings[kid] for kid, _sim in hits] + [arr for arr, _sim in more]
        if not arrs:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64)
        sims = [sim for _kid, sim in hits] + [sim for _arr, sim in more]
        lengths = np.fromiter((a.shape[0] for a in arrs), dtype=np.int64, count=len(arrs))
        ids = np.concatenate(arrs)
        vals = np.repeat(np.asarray(sims, dtype=np.float64) * weight, lengths)
        order = np.argsort(-vals, kind="stable")
        uniq, first = np.unique(ids[order], return_index=True)
        return uniq, vals[order][first]

    def _holding(
        self,
        single: tuple[np.ndarray, np.ndarray],
        hits: list[tuple[int, float]],
        pairs: Sequence[tuple[np.ndarray, float]],
        count: int,
    ) -> tuple[np.ndarray, np.ndarray]:
        """``single`` kept for the names that hold at least ``count`` tokens (or pairs of
        tokens) reached by ``hits`` and ``pairs``."""
        arrs = [self.postings[kid] for kid, _sim in hits] + [arr for arr, _sim in pairs]
        arrs += [self.twice[kid] for kid, _sim in hits if kid in self.twice]
        if not arrs:
            return single
        names, counts = np.unique(np.concatenate(arrs), return_counts=True)
        held = names[counts >= count]
        keep = np.isin(single[0], held, assume_unique=True)
        return single[0][keep], single[1][keep]

    def _cross_joined(
        self,
        form: NameForm,
        weights: Sequence[float],
        singles: dict[int, tuple[np.ndarray, np.ndarray]],
        reduced: list[tuple[np.ndarray, np.ndarray]],
        reduced_bits: list[int],
    ) -> None:
        """Two abjad words that Latin writes as one ("عبد الله" -> Abdullah). A name
        gains only what the joined reading adds to the two words read apart.
        ``reduced_bits``: the query positions each entry of ``reduced`` meets (bits)."""
        xkeys = form.xkeys
        core = [i for i, r in enumerate(form.roles) if r == NAME]
        for a, b in [*zip(core, core[1:], strict=False), *kunya_pairs(form), *abjad_ben_pairs(form)]:
            if form.roles[a] == PARTICLE:
                # "أبو" or "بن" + a name: the name's weight, read with the particle.
                hits = self._joined_lookup(form, a, b)
                if hits:
                    ids, vals = self._best_per_name(hits, weights[b])
                    if b in singles:
                        vals = vals - _values_at(singles[b], ids)
                    keep = vals > 0
                    reduced.append((ids[keep], vals[keep]))
                    reduced_bits.append(1 << a | 1 << b)
                continue
            if not xkeys[a] or not xkeys[b] or b - a > 2 or xkeys[a][1:2] == ":" or xkeys[b][1:2] == ":":
                continue
            if b - a == 2 and (form.tokens[a + 1] not in ARTICLES or (form.person and (a, b) not in form.compounds)):
                continue  # two names apart ("X bin Y", "X al-Y"), not one written as two words
            hits = self._joined_lookup(form, a, b)
            if not hits:
                continue
            ids, vals = self._best_per_name(hits, weights[a] + weights[b])
            for pos in (a, b):
                if pos in singles:
                    vals = vals - _values_at(singles[pos], ids)
            keep = vals > 0
            reduced.append((ids[keep], vals[keep]))
            reduced_bits.append(1 << a | 1 << b)

    def _joined_lookup(self, form: NameForm, a: int, b: int) -> list[tuple[int, float]]:
        """Keys of the Latin tokens that words ``a`` and ``b`` of an abjad name, read as one
        word (``score.joined_classes``), may be written as, at most SIM_JOINED."""
        return _best_of(*([(kid, min(sim, SIM_JOINED)) for kid, sim in self.cross_lookup(classes)]
                          for classes in joined_classes(form, a, b)))

    @staticmethod
    def _met_bound(
        form: NameForm,
        weights: Sequence[float],
        met: np.ndarray,
        bound_acc: np.ndarray,
        optional: float,
        truncatable: bool,
        particle_at: Sequence[int],
    ) -> np.ndarray:
        """The scorer's own bound of each name (score._coverage_bound) from the query
        positions it meets (``met``, bits): its tokens without a partner cost at least
        ``unpaired_cost`` of that set, which a nasab chain makes cheap only between (or
        after) the names met. Initials, a cut query's last word and a word that may be a
        particle (``particle_at``) count as met, as the scorer counts them. (Where the
        scorer finds fewer partners, fewer tokens are met and the cost is no lower.)"""
        tokens, roles = form.tokens, form.roles
        n = len(tokens)
        free = 0
        for i in (*particle_at, *(i for i in range(n) if roles[i] == INITIAL)):
            free |= 1 << i
        if truncatable:
            free |= 1 << (n - 1)
        met = met | free
        masks, inverse = np.unique(met, return_inverse=True)
        costs = np.fromiter(
            (unpaired_cost(form, weights, [bool(int(m) >> i & 1) for i in range(n)]) for m in masks),
            dtype=np.float64, count=masks.shape[0],
        )
        return (bound_acc + optional) / (bound_acc + costs[inverse] + optional)

    def candidates(
        self,
        form: NameForm,
        weights: Sequence[float],
        threshold: float = 0.0,
        limit: int = 50,
        unmatched_share: float = 1.0,
        left_out_discount: float = 0.0,
    ) -> list[int]:
        """Name ids worth scoring for a query, best first.

        ``unmatched_share``: the least share of its weight a query token without a partner
        can count for (below 1 where left-out middle names count less, see
        score.NASAB_SHARE); it loosens the bound below accordingly. ``left_out_discount``:
        how much less than their weight the query's tokens without a partner may cost at
        most against a name without a patronymic (a person's patronymic, see
        score.patronymic_discount).

        ``threshold``: names whose best possible coverage of the query stays below it are
        dropped (a name score never exceeds the query coverage).
        """
        tokens, keys, roles = form.tokens, form.keys, form.roles
        arrays: list[np.ndarray] = []
        values: list[float] = []
        positions_met: list[int] = []  # the query position each of ``arrays`` meets (a bit)
        total_q = 0.0
        n = len(tokens)
        truncatable = len(form.text.rstrip()) >= TRUNCATION_MIN_CHARS
        first_core = next((i for i in range(n) if roles[i] in INDEXED_ROLES), -1)
        optional = 0.0  # optional tokens (legal forms, titles...) count when both names have them
        reduced: list[tuple[np.ndarray, np.ndarray]] = []  # (name ids, values) already per name
        reduced_bits: list[int] = []  # ... and the query positions each meets (bits)
        singles: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # the same, per abjad query token
        repeats: dict[str, int] = {}  # abjad query words seen so far (classes -> count)
        gaps = self.spelling_gaps(form) if form.native else frozenset()
        starts: list[np.ndarray] = []  # a cut query: names starting with its first word
        legal_held: list[np.ndarray] = []  # ... names holding a word of its legal form
        held_initials: list[tuple[np.ndarray, float]] = []  # names with an initial for a query word
        for i in range(n):
            role = roles[i]
            if role in OPTIONAL_ROLES:
                optional += weights[i]
                legal_kid = self.key_ids.get(keys[i]) if truncatable and role == LEGAL else None
                if legal_kid is not None and legal_kid in self.legal:
                    legal_held.append(self.legal[legal_kid])
                continue
            w = weights[i]
            total_q += w
            if role == INITIAL:
                iarr = self.initials.get(tokens[i])
                if iarr is not None:
                    arrays.append(iarr)
                    values.append(w)
                    positions_met.append(1 << i)
                continue
            if form.person and role == NAME and not (form.xkeys and form.xkeys[i]):
                # A list name's initial of this word's letter stands for it, as much of it as
                # the scorer counts ("Aiman Ahmad Rashed AL-DUWAIK" against "Aiman Ahmad R
                # AL-DUWAIK"): without it the bound takes the word for unmet.
                # (In the bound only: an initial ranks no name above one that spells the word.)
                held_arr = self.initials.get(HELD_INITIAL + tokens[i][0])
                if held_arr is not None:
                    held_initials.append((held_arr, INITIAL_SHARE * w))
            hits = self.lookup(tokens[i], keys[i])
            if not (form.xkeys and form.xkeys[i]) and not any(sim >= SIM_TRANSLIT for _kid, sim in hits):
                # A word no list token spells (nearly) so may hold two typos of one. (A word
                # of another script the scorer pairs by its letters, never as a typo.)
                hits = hits + self.two_typos_lookup(tokens[i], keys[i])
            native = form.native[i] if i in gaps else ""  # a word no list token is spelt like
            if form.native and form.native[i] and not (form.xkeys and form.xkeys[i]):
                # Read by its sound too (Джон, John), even where its romanisation is a list
                # token as well: Артем is Artem, and Artyom as the scorer reads it.
                for reading in sound_readings(form.native[i], tokens[i]):
                    hits = _best_of(hits, self.heard_lookup(reading))
                if native:
                    hits = _best_of(hits, self.symbol_lookup(native))  # (Γιάννης, Yannis)
            if form.xkeys and form.xkeys[i]:
                # An abjad word reaches many Latin spellings (محمد: Muhammad, Mohamed,
                # Mahmud ...); a name counts the best of them once.
                exact = [hit for hit in hits if hit[1] >= 1.0]  # the same word in the same script
                xkey = form.xkeys[i]
                pairs: list[tuple[np.ndarray, float]] = []
                if xkey[1:2] != ":":
                    found = self.cross_pair_lookup(xkey)
                    assert self.pair_names is not None
                    pairs = [(self.pair_names[pair], min(sim, SIM_JOINED)) for pair, sim in found]
                loans = self._loans_of(form, i)
                best = _best_of(exact, self.cross_lookup(xkey), self.gloss_lookup(form, i), loans)
                for head, tail in hidden_break_classes(form, i):
                    # Two words run together (see score._hidden_break_candidates): a name
                    # holding either part may hold both, which score up to SIM_JOINED.
                    parts = [(kid, SIM_JOINED) for part in (head, tail) for kid, _sim in self.cross_lookup(part)]
                    best = _best_of(best, parts)
                if native:
                    best = _best_of(best, self.symbol_lookup(native))  # (ジョージ, George)
                single = self._best_per_name(best, w, pairs)
                seen_before = repeats.get(xkey, 0)
                if seen_before:
                    # The same word again (two عبد, two محمد in a nasab): a name counts it
                    # again only where it holds that many tokens the word reaches.
                    single = self._holding(single, best, pairs, seen_before + 1)
                repeats[xkey] = seen_before + 1
                singles[i] = single
                reduced.append(singles[i])
                reduced_bits.append(1 << i)
                hits = []
            for kid, sim in hits:
                arrays.append(self.postings[kid])
                values.append(sim * w)
                positions_met.append(1 << i)
                if truncatable and i == first_core:
                    # A cut name keeps its start: favour names that start the same way.
                    farr = self.firsts.get(kid)
                    if farr is not None:
                        arrays.append(farr)
                        values.append(FIRST_TOKEN_BONUS * w)
                        positions_met.append(1 << i)
                        starts.append(farr)
            jarr = self.joined.get(keys[i])
            if jarr is not None:
                arrays.append(jarr)
                values.append(SIM_JOINED * w)
                positions_met.append(1 << i)
            legal_kid = self.key_ids.get(keys[i]) if truncatable else None
            if legal_kid is not None and legal_kid in self.legal:
                arrays.append(self.legal[legal_kid])  # a name cut within its legal form
                values.append(w)
                positions_met.append(1 << i)
            if truncatable and i == n - 1:
                reached = {kid for kid, _sim in hits}
                for kid in self.prefix_lookup(tokens[i]):
                    if kid in reached:
                        continue  # the token itself already reached these names
                    arrays.append(self.postings[kid])
                    values.append(SIM_TRUNCATED * w)
                    positions_met.append(1 << i)
                for kid in self.legal_prefix_lookup(tokens[i]):
                    if kid != legal_kid:
                        arrays.append(self.legal[kid])
                        values.append(SIM_TRUNCATED * w)
                        positions_met.append(1 << i)
        # The query writes apart what a list name writes as one token.
        for run, word in joined_words(tokens, roles):
            joined_kid = self.key_ids.get(skeleton(word))
            if joined_kid is not None and self.postings[joined_kid].size:
                arrays.append(self.postings[joined_kid])
                run_w = sum(weights[k] for k in run if roles[k] not in OPTIONAL_ROLES)
                values.append(SIM_JOINED * run_w)
                positions_met.append(sum(1 << k for k in run))
        if form.xkeys:
            self._cross_joined(form, weights, singles, reduced, reduced_bits)
        if (not arrays and not reduced) or total_q <= 0:
            return []
        # Which query positions each name meets, where the scorer bounds a name by them (a
        # query in another script, see score._coverage_bound; at most 62 tokens to a mask).
        track = threshold > 0 and bool(form.xkeys) and n <= 62
        met: np.ndarray | None = None
        if len(arrays) == 1 and not reduced:
            ids = arrays[0]
            acc = np.full(ids.shape[0], values[0], dtype=np.float64)
            if track:
                met = np.full(ids.shape[0], positions_met[0], dtype=np.int64)
        else:
            # Postings with one value each, then the per-name values already reduced.
            lengths = np.fromiter((a.shape[0] for a in arrays), dtype=np.int64, count=len(arrays))
            flat = np.concatenate([*arrays, *(ids for ids, _vals in reduced)])
            vals = np.concatenate([np.repeat(np.asarray(values, dtype=np.float64), lengths),
                                   *(v for _ids, v in reduced)])
            ids, acc, inverse = _sum_by_id(flat, vals)
            if track:
                counts = np.concatenate([lengths, np.fromiter((r[0].shape[0] for r in reduced), dtype=np.int64,
                                                              count=len(reduced))])
                met = np.zeros(ids.shape[0], dtype=np.int64)
                np.bitwise_or.at(met, inverse, np.repeat(np.asarray(positions_met + reduced_bits, dtype=np.int64), counts))
        np.minimum(acc, total_q, out=acc)
        if threshold > 0:
            # A query without a person schema keeps "bin", "ben", "de" ... as name words, and
            # a person's list name holds them as particles, which are not indexed: the bound
            # counts them as possibly found ("HAMZA BIN LADEN" ~ "BIN LADEN, Hamza"), and
            # an abjad word that reads as one too (בן ציון against Ben-Zion).
            particle_at = [i for i in range(n) if may_be_particle(form, i)]
            particles = sum(weights[i] for i in particle_at)
            bound_acc = np.minimum(acc + particles, total_q) if particles else acc
            if held_initials:
                holding = self.holds_initial[ids]  # (few names hold an initial: most queries reach none)
                if holding.any():
                    bound_acc = bound_acc.copy()  # (not the rank's sums)
                    bound_acc[holding] = np.minimum(bound_acc[holding] + _credit_at(ids[holding], held_initials),
                                                    total_q)
            rest = total_q - bound_acc
            if left_out_discount:
                # (only a name without a patronymic of its own lets the query's go cheaper)
                rest = np.maximum(rest - left_out_discount * ~self.with_patronymic[ids], 0.0)
            upper = (bound_acc + optional) / (bound_acc + unmatched_share * rest + optional)
            if met is not None:
                upper = np.minimum(upper, self._met_bound(form, weights, met, bound_acc, optional, truncatable,
                                                          particle_at))
            keep = upper >= threshold
            if not keep.all():
                ids = ids[keep]
                acc = acc[keep]
            if ids.shape[0] == 0:
                return []
        rank = acc / (total_q + self.name_totals[ids]) + RANK_COVERAGE * acc / total_q
        lead = next((i for i in range(n) if roles[i] not in OPTIONAL_ROLES), -1)
        if lead >= 0 and roles[lead] == INITIAL:
            rank += RANK_FIRST_INITIAL * (self.first_given[ids] == ord(tokens[lead][0]))
        if truncatable:
            # A cut query names only the start of a longer list name: rank by how much of
            # the query a name explains, then by the Dice-like ratio.
            rank = acc / total_q + 0.01 * rank
            if starts:
                rank += RANK_CUT_START * _members(ids, np.concatenate(starts))
            for held in legal_held:
                rank += RANK_CUT_LEGAL / len(legal_held) * _members(ids, held)
        if ids.shape[0] > limit:
            # Many aliases of one entity (a royal family's names in twenty languages) must
            # not fill every place: at most NAMES_PER_ENTITY names of an entity are taken.
            pool = min(ids.shape[0], limit * 4)
            top = np.argpartition(-rank, pool - 1)[:pool]
            top = top[np.argsort(-rank[top], kind="stable")]
            owners = self.owners[ids[top]]
            picked: list[int] = []
            seen: dict[int, int] = {}
            for pos, owner in zip(top.tolist(), owners.tolist(), strict=True):
                if seen.get(owner, 0) < NAMES_PER_ENTITY:
                    seen[owner] = seen.get(owner, 0) + 1
                    picked.append(pos)
                    if len(picked) == limit:
                        break
            return [int(ids[pos]) for pos in picked]
        order = np.argsort(-rank, kind="stable")
        return [int(x) for x in ids[order]]
