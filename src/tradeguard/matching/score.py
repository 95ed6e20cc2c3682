"""Name-versus-name scoring: order-free token alignment with weighted coverage.

Two normalised names (:class:`~tradeguard.matching.normalize.NameForm`) are compared
token by token. Each query token may meet one list token (or two adjacent ones, when one
side wrote them as one word); pairs are taken best first:

================  ==========  ==============================================================
how               sim         when
================  ==========  ==============================================================
exact             1.00        same normalised token
transliteration   0.95/0.88   same skeleton (kh/h, y/i/j, ou/u, -ov/-off, ...); 0.88 for <= 3
                              letters
variant           0.95        spellings of one name (Mohammed/Muhammad, ...)
romanisation      0.90        either token read by another language's romanisation of a
                              Russian name has the other's key (German Jelzin, Yeltsin;
                              national.py); 0.05 below a typo's on top of the reading
joined            0.97-0.85   one token equals two adjacent tokens of the other name
truncated         0.90        the query's last token starts a list token, and the query is
                              long enough to have been cut by a field limit
typo              0.70-0.90   edit distance (with transpositions) 1 on tokens of 4-7
                              letters, 2 from 8 letters; 0.15 less if the first letter differs
name_symbol       0.90        a name word in another script and a Latin one that share a
                              Wikidata name item (rigour; マイケル, Michael)
translation       0.90        an abjad word of an organisation's name and an English word it
                              translates as (data/abjad_glosses.yml: صناعات, industries)
initial           1.00        query initials stand for the list name's given names, in order
                              (an initial explains INITIAL_SHARE of the list token)
================  ==========  ==============================================================

Every token carries a weight from its frequency in the lists (rare tokens weigh more; see
:mod:`tradeguard.matching.index`). Two coverages follow: ``cov_q``, the share of the
query's weight that found a partner, and ``cov_l``, the same for the list name (middle
names the query leaves out weigh half). Legal forms, titles, particles and stopwords count
only when both names have them. The name score is ``cov_q ** Q_EXP * cov_l ** L_EXP``
times the penalties below. An unmatched query token costs more than an unmatched list
token: a query that adds a word names someone else, while a query that leaves out a middle
name still names the listed party.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA

from tradeguard.matching.abjad import (
    INITIAL_VOWEL,
    OPTIONAL_VOWEL,
    abjad_classes,
    bare_abd,
    cross_sim,
    french_cross_sim,
    index_key,
    index_keys,
    join_classes,
    latin_classes,
    near_keys,
    other_reading,
    prosthesis_free,
    voiced_s_free,
)
from tradeguard.matching.chinese import (
    dotted,
    foreign_name_start,
    transcription_reading,
    writes_foreign_name,
)
from tradeguard.matching.heard import SIM_HEARD, heard_sim, sound_readings
from tradeguard.matching.loanwords import P_OR_B, SIM_TWO_CONSONANTS, SIM_TWO_IN_NAME, loan_sim
from tradeguard.matching.national import READING_COST as NATIONAL_READING_COST
from tradeguard.matching.national import national_readings, typo_readings
from tradeguard.matching.normalize import (
    INITIAL,
    LEGAL,
    NAME,
    NUMBER,
    OPTIONAL_ROLES,
    PARTICLE,
    ROLE_NAMES,
    STATE,
    STOP,
    NameForm,
    could_be_particle,
    deletes,
    hidden_break_classes,
    holds_patronymic,
    is_patronymic,
    is_unread,
    latin_syllable_keys,
    reference,
    skeleton,
)
from tradeguard.matching.romanize import starts_korean_name, writes_loanword_syllable
from tradeguard.matching.symbols import MIN_LATIN_LENGTH, word_symbols

# Token weights of a name (the index's, or equal ones without an index).
Weights = list[float] | tuple[float, ...]
# An alignment candidate: (priority, weight, query positions, list positions, similarity, how).
Candidate = tuple[float, float, tuple[int, ...], tuple[int, ...], float, str]

SIM_EXACT = 1.0
SIM_TRANSLIT = 0.95
SIM_TRANSLIT_SHORT = 0.88  # same skeleton, 3 letters or fewer ("yan"/"ian")
ABJAD_TYPO_MIN = 5  # the least letters of two abjad words for another letter to be a typo
ABJAD_FOLDS_MIN = 4  # the least letters of an abjad word's romanisation for its spelling folds to count
SIM_JOINED_EXACT = 0.97
SIM_JOINED = 0.92
SIM_JOINED_TYPO = 0.85
SIM_TRUNCATED = 0.9
SIM_PLURAL = 0.93  # the same word in the singular and the plural
SIM_GLOSS = 0.9  # an abjad word of an organisation's name and its English translation
SIM_SYMBOL = 0.9  # a name in another script and a Latin one that are one name by Wikidata (symbols.py)
MIN_PAIR_SIM = 0.7  # weaker token pairs are not aligned at all
# Pairs that fill gaps (a name item, a Hangul loan reading) are aligned after every spelled
# pair, the stronger of them first: their priority is GAP_PRIORITY * sim, below any spelled
# pair's (its sim, at least MIN_PAIR_SIM).
GAP_PRIORITY = 0.7
# Two stopwords (counted only when both names have them) pair only as the same word ("fi"
# and في): a weak pair would cost coverage that leaving both out does not. (Particles still
# pair weakly: "bin" against "bint" is a son against a daughter.)
MIN_STOPWORD_PAIR_SIM = 0.88

# Weighted-coverage exponents: the query's coverage matters more than the list name's.
Q_EXP = 1.0
L_EXP = 0.35

W_INITIAL = 0.3  # weight of a single-letter token
MIDDLE_SHARE = 0.5  # weight of a list person's middle name that the query leaves out
INITIAL_SHARE = 0.75  # how much of a full token an initial explains
NASAB_SHARE = 0.25  # weight of a middle name of an abjad query that the list name leaves out
# Weight of a query person's patronymic (Viktorovich) that a list name without one leaves out:
# a father's name, which Russian and Ukrainian records always carry and lists often do not.
PATRONYMIC_SHARE = 0.25

# Penalty factors.
F_NUMBER_CONFLICT = 0.55  # "Snow Storm 1" vs "Snow Storm 2"
F_NUMBER_MISSING = 0.9  # "Snow Storm" vs "Snow Storm 2"
F_ORDER = 0.75  # a Burmese name, or Korean or Chinese given name, in another order is another name
F_SYLLABLE_MISSING = 0.85  # a Chinese or Korean name lacks a syllable of the list name's (Wei Xue / Wei Hsueh Yuan)
F_INITIAL_CONFLICT = 0.8  # an initial that fits no token of the other name
F_BOTH_UNMATCHED = 0.88  # each name has a distinctive token the other lacks
F_LEGAL_CONFLICT = 0.95  # legal forms of different classes (LLC vs JSC)
F_STATE_CONFLICT = 0.55  # "Central Bank of Iran" vs "Central Bank of Iraq": another state's body
F_SINGLE_TOKEN = 0.85  # one distinctive token in common, and the list name has more
F_EDGE_MISSING = 0.9  # the query lacks the list name's first or last word (not a patronymic)
F_NASAB_CONFLICT = 0.75  # "X bin Y" against "Y bin X": the father for the son
F_TRUNCATED = 0.97  # the list name was compared as cut at the query's length
# ... and the cut fell within its legal form: nothing of the name itself is left, so every
# name that starts with that form fits as well (an alert still, but below a name's hit).
F_CUT_LEGAL_FORM = 0.88
# Legal-form classes that say little about the form (no conflict with any other class).
GENERIC_LEGAL = frozenset({"company", "corporation", "partnership", "cooperative", "trust", "foundation"})

# A query at least this long may be a name cut by a field-length limit (SWIFT lines hold
# 35 characters; many forms cut at 30-40).
TRUNCATION_MIN_CHARS = 30


def _typo_sim(length: int, distance: int, first_differs: bool) -> float:
    """Similarity for an edit distance on tokens of a given length. Short tokens and a
    changed first letter are weaker evidence (Jaro-Winkler's insight)."""
    if distance == 1:
        sim = 0.7 if length <= 4 else 0.78 if length == 5 else 0.85 if length <= 7 else 0.9
    else:
        sim = 0.78 if length <= 11 else 0.83
    return sim - (0.15 if first_differs else 0.0)


TWO_TYPOS_MIN_LEN = 8  # a token this long may hold two typos (retrieval looks them up too)


def _max_distance(length: int) -> int:
    if length < 4:
        return 0
    if length < TWO_TYPOS_MIN_LEN:
        return 1
    return 2


# (Keyed by the keys too: one spelling has other keys in other names, a patronymic's
# "~evgeni:m" in a person's, its skeleton elsewhere, and the fuzzy comparison reads them.)
_SIM_CACHE: dict[tuple[str, str, str, str], tuple[float, str]] = {}


def token_sim(a: str, ka: str, b: str, kb: str) -> tuple[float, str]:
    """Similarity of two normalised tokens (with their skeleton keys) and how they agree."""
    if a == b:
        return SIM_EXACT, "exact"
    if ka == kb:
        if ka[0] == "~":
            return SIM_TRANSLIT, "variant"
        # Short tokens, and four-letter ones whose first letter differs (Yang/Jang are two
        # Korean family names), are weaker evidence.
        strong = len(ka) > 4 or (len(ka) == 4 and a[0] == b[0])
        return (SIM_TRANSLIT if strong else SIM_TRANSLIT_SHORT), "transliteration"
    cache_key = (a, ka, b, kb)
    hit = _SIM_CACHE.get(cache_key)
    if hit is not None:
        return hit
    result = _fuzzy_sim(a, ka, b, kb)
    if result[0] < SIM_TRANSLIT - NATIONAL_READING_COST:
        read = _national_sim(a, ka, b, kb)
        if read > result[0]:
            result = (read, "romanisation")
    if len(_SIM_CACHE) > 500_000:
        _SIM_CACHE.clear()
    _SIM_CACHE[cache_key] = result
    return result


def _national_sim(a: str, ka: str, b: str, kb: str) -> float:
    """Similarity of two tokens where either is read as another language romanises a
    Russian name (:mod:`.national`: German "jelzin" is "yeltsin"), a reading's skeleton
    compared as the token's own is, at ``national.READING_COST`` less."""
    read_a, read_b = national_readings(a), national_readings(b)
    if not read_a and not read_b:
        return 0.0
    typos = {a, b, *typo_readings(a), *typo_readings(b)}  # (the spellings, and readings that allow one)
    sides_a = [(a, ka), *((r, skeleton(r)) for r in read_a)]
    sides_b = [(b, kb), *((r, skeleton(r)) for r in read_b)]
    best = 0.0
    for i, (x, kx) in enumerate(sides_a):
        for j, (y, ky) in enumerate(sides_b):
            if i == j == 0:
                continue  # (the spellings themselves: token_sim compared them)
            if x == y or kx == ky:
                best = max(best, national_key_sim(kx))
            elif x in typos and y in typos and (_one_edit(x, y) or _one_edit(kx.lstrip("~"), ky.lstrip("~"))):
                # (One typo on top of a reading: the letters a reading adds buy no second.)
                best = max(best, _fuzzy_sim(x, kx, y, ky)[0] - NATIONAL_READING_COST)
    return best


def _one_edit(a: str, b: str) -> bool:
    return abs(len(a) - len(b)) <= 1 and OSA.distance(a, b, score_cutoff=1) <= 1


def national_key_sim(key: str) -> float:
    """The similarity of a token to a list token of ``key`` that its reading by another
    language's system (:mod:`.national`) spells as that key: a transliteration's, less the
    reading's cost."""
    return (SIM_TRANSLIT if len(key) > 4 else SIM_TRANSLIT_SHORT) - NATIONAL_READING_COST


# Endings that make two kinds of name from one stem, so that the two are never one
# misspelt: a Russian patronymic and a surname (Ivanovna, Ivanova), a Greek given name and
# the genitive family name made from it (Nikolaos, Nikolaou: Georgios Nikolaou and
# Nikolaos Georgiou are two people).
_NAME_FORM_ENDINGS = (("ovna", "ova", 3), ("evna", "eva", 3), ("os", "ou", 4))


def _other_name_form(a: str, b: str) -> bool:
    if a[-1] not in "asu" or b[-1] not in "asu":
        return False  # (every ending ends so: the usual case, answered at once)
    for x, y, stem in _NAME_FORM_ENDINGS:
        for s, t in ((a, b), (b, a)):
            if s.endswith(x) and t.endswith(y) and len(s) - len(x) >= stem and s[: -len(x)] == t[: -len(y)]:
                return True
    return False


def _fuzzy_sim(a: str, ka: str, b: str, kb: str) -> tuple[float, str]:
    if a.isdigit() or b.isdigit():
        return 0.0, ""
    if _other_name_form(a, b):
        return 0.0, ""  # "Ivanova" (a surname) is not a misspelt "Ivanovna" (a patronymic)
    if ("zh" in a) != ("zh" in b) and a.replace("zh", "j") == b.replace("zh", "j"):
        # Ж is zh in Russian and Kazakh spellings, j in Kyrgyz, Mongolian, Uzbek and French
        # ones (Zhaparov, Japarov). Not a fold of the skeleton, where j is i: Zhang is not Yang.
        return (SIM_TRANSLIT if min(len(a), len(b)) > 4 else SIM_TRANSLIT_SHORT), "transliteration"
    if min(len(a), len(b)) >= 4 and (a[:-1] == b or b[:-1] == a) and (a[-1] == "s" or b[-1] == "s"):
        return SIM_PLURAL, "plural"  # "holding"/"holdings", "system"/"systems"
    x = ka[1:] if ka[0] == "~" else ka
    y = kb[1:] if kb[0] == "~" else kb
    best = 0.0
    raw_distance = None
    # A patronymic's key ("~dmitri:m") is two letters from its father's given name's
    # ("~dmitri") and one from the daughter's patronymic ("~dmitri:f"): other names, never
    # a typo (Dmitrievich is no misspelt Dmitry). Their spellings are still compared.
    keys_apart = x[-2:-1] == ":" or y[-2:-1] == ":"
    for s, t in ((a, b),) if keys_apart and x[-2:] != y[-2:] else ((a, b), (x, y)):
        length = max(len(s), len(t))
        maxd = _max_distance(length)
        if maxd == 0 or abs(len(s) - len(t)) > maxd:
            continue
        dist = OSA.distance(s, t, score_cutoff=maxd)
        if raw_distance is None:
            raw_distance = dist
        if dist <= maxd:
            sim = _typo_sim(length, dist, s[0] != t[0])
            if s is x and raw_distance is not None and raw_distance > dist:
                sim -= 0.05  # a typo on top of a romanisation change ("martins"/"martyrs")
            best = max(best, sim)
    return (best, "typo") if best else (0.0, "")


@dataclass(slots=True)
class Pair:
    q: tuple[int, ...]  # query token positions
    l: tuple[int, ...]  # list token positions  # noqa: E741
    sim: float
    how: str


@dataclass(slots=True)
class NameScore:
    score: float
    cov_q: float = 0.0
    cov_l: float = 0.0
    pairs: list[Pair] = field(default_factory=list)
    unmatched_q: list[int] = field(default_factory=list)
    unmatched_l: list[int] = field(default_factory=list)
    cut_l: list[int] = field(default_factory=list)  # list tokens beyond a truncated query
    penalties: list[tuple[str, float]] = field(default_factory=list)


def can_truncate(q: NameForm, l: NameForm) -> bool:  # noqa: E741
    """Whether ``q`` may be ``l`` cut at a field-length limit."""
    return len(q.text.rstrip()) >= TRUNCATION_MIN_CHARS and len(l.text) > len(q.text.rstrip())


def score_names(
    q: NameForm,
    qw: Weights,
    l: NameForm,  # noqa: E741
    lw: Weights,
    gaps: frozenset[int] | None = None,
    floor: float = 0.0,
) -> NameScore:
    """Align ``q`` (query) with ``l`` (list name); weights per token from the index.
    ``gaps``: the query positions whose words no list token is spelt like (the index's
    ``spelling_gaps``); only they may meet a name by its Wikidata items. None (no index):
    any word that meets nothing in ``l`` by spelling may. ``floor``: a name whose token
    pairs cannot make a score of at least this is not aligned (its score is given as 0)."""
    qt, qk, qr = q.tokens, q.keys, q.roles
    lt, lk, lr = l.tokens, l.keys, l.roles
    nq, nl = len(qt), len(lt)
    cands: list[Candidate] = []
    qx, lx = q.xkeys, l.xkeys
    qg, lg = q.glosses, l.glosses
    cross = bool(qx or lx)  # a word of either name written in another script
    for i in range(nq):
        ri = qr[i]
        ti, ki = qt[i], qk[i]
        for j in range(nl):
            rj = lr[j]
            if ri == LEGAL and rj == LEGAL:
                continue  # legal forms agree or not by class, see _finish
            tj = lt[j]
            if ri == INITIAL or rj == INITIAL:
                if ri == rj and ti == tj:
                    cands.append((1.0, qw[i] + lw[j], (i,), (j,), 1.0, "exact"))
                elif rj == INITIAL and ti[0] == tj[0] and ri not in (NUMBER, LEGAL):
                    cands.append((0.8, 1.0 / (1 + i + j), (i,), (j,), 1.0, "initial"))
                continue
            if ti == tj:
                cands.append((1.0, qw[i] + lw[j], (i,), (j,), 1.0, "exact"))
                continue
            if ri == NUMBER or rj == NUMBER:
                continue
            sim, how = _script_pair_sim(q, i, l, j) if cross else token_sim(ti, ki, tj, lk[j])
            if sim >= (MIN_STOPWORD_PAIR_SIM if ri == STOP and rj == STOP else MIN_PAIR_SIM):
                # A kana word read as a foreign name (loanwords.py) fills a gap, as a Hangul
                # word's reading does: aligned after the spelled pairs, and a name item may
                # still meet that word (ミハイル: Mikhail by its sound, and by its item).
                loan = cross and sim < SIM_TRANSLIT and _kana_against_latin(qx, i, lx, j)
                cands.append((GAP_PRIORITY * sim if loan else sim, qw[i] + lw[j], (i,), (j,), sim, how))
    # Two adjacent tokens on one side written as one on the other ("abdul rahman").
    if nl > 1:
        _joined_candidates(qt, qk, qr, lt, lr, qw, lw, cands, query_joined=True, b_syllables=_syllable_tokens(l))
    if nq > 1:
        _joined_candidates(lt, lk, lr, qt, qr, lw, qw, cands, query_joined=False, b_syllables=_syllable_tokens(q))
    if cross:
        _cross_joined_candidates(q, qw, l, lw, cands)
    if qg or lg:
        _gloss_pair_candidates(q, qw, l, lw, cands)
    if cross and any(x.startswith(("k:", "c:")) for x in (*qx, *lx)):
        _loan_candidates(q, qw, l, lw, cands)
    if q.native and gaps != frozenset():
        _symbol_candidates(q, qw, l, lw, cands, gaps)
    if q.native:
        _heard_candidates(q, qw, l, lw, cands)
    if floor > 0 and q.xkeys and _coverage_bound(q, qw, l, cands) < floor:
        # (Only for a query in another script: for a Latin one, retrieval's own bound is
        # as tight, and checking again costs more than the alignments it saves.)
        return NameScore(0.0)
    pairs: list[Pair] = []
    used_q = [False] * nq
    used_l = [False] * nl
    if cands:
        cands.sort(key=lambda c: (-c[0], -c[1]))
        for _prio, _w, qi, lj, sim, how in cands:
            if (used_q[qi[0]] if len(qi) == 1 else any(used_q[i] for i in qi)) or (
                used_l[lj[0]] if len(lj) == 1 else any(used_l[j] for j in lj)
            ):
                continue
            for i in qi:
                used_q[i] = True
            for j in lj:
                used_l[j] = True
            pairs.append(Pair(qi, lj, sim, how))
    if INITIAL in qr:
        family = family_positions(l) if l.person else frozenset()
        _align_initials(q, l, family, used_q, used_l, pairs)
    truncated = False
    cut_from = nl
    if can_truncate(q, l):
        cut_from, truncated = _truncation(q, l, used_q, used_l, pairs)
    return _finish(q, qw, l, lw, pairs, used_q, used_l, cut_from, truncated, floor)


def _kana_against_latin(qx: tuple[str, ...], i: int, lx: tuple[str, ...], j: int) -> bool:
    """Whether one of query word ``i`` and list word ``j`` is kana and the other Latin."""
    xi, xj = qx[i] if qx else "", lx[j] if lx else ""
    return bool(xi) != bool(xj) and (xi or xj).startswith("j:")


def _script_pair_sim(q: NameForm, i: int, l: NameForm, j: int) -> tuple[float, str]:  # noqa: E741
    """The similarity of query word ``i`` and list word ``j`` where either name holds a
    word in another script, and how it was found."""
    return _word_pair_sim(
        q.tokens[i], q.keys[i], q.xkeys[i] if q.xkeys else "", q.glosses[i] if q.glosses else (),
        l.tokens[j], l.keys[j], l.xkeys[j] if l.xkeys else "", l.glosses[j] if l.glosses else (),
    )


@lru_cache(maxsize=200_000)
def _word_pair_sim(
    ti: str, ki: str, xi: str, gi: tuple[str, ...], tj: str, kj: str, xj: str, gj: tuple[str, ...],
) -> tuple[float, str]:
    """``_script_pair_sim`` of two words given by what it reads of them (token, key,
    classes of a word in another script, glosses). Cached: the same two words meet again in
    each alias of a party, and in each query that repeats the word."""
    if bool(xi) == bool(xj):
        sim, how = token_sim(ti, ki, tj, kj)
        if xi and how == "typo" and len(ti) == len(tj) < ABJAD_TYPO_MIN:
            # Another letter in a short word of consonants is another name (مهسا Mahsa,
            # محسن Mohsen); a vowel letter more or less is a spelling (رحمان).
            return 0.0, how
        return sim, how
    # One written in another script, one in Latin letters: compare what each stands for;
    # the transliteration counts only where it spells the Latin word (a "typo" of "mhmd"
    # means nothing).
    sim, how = _cross_token_sim(xi, ti, xj, tj), CROSS_SCRIPT
    if (xi or xj)[1:2] != ":":
        # (A syllable's key holds every spelling of it: 영 yong is not 정 jong, whatever
        # Latin spelling folds.) (In a word of three letters or fewer the letter classes
        # alone tell names apart: معيض, romanised "myd", is no MID.)
        tsim, thow = token_sim(ti, ki, tj, kj)
        if thow != "typo" and tsim > sim > 0 and len(ti if xi else tj) >= ABJAD_FOLDS_MIN:
            sim, how = tsim, thow
    if sim < SIM_GLOSS and (gi or gj) and (_translates(gi, tj, kj) or _translates(gj, ti, ki)):
        sim, how = SIM_GLOSS, TRANSLATION
    return sim, how


def _coverage_bound(q: NameForm, qw: Weights, l: NameForm, cands: list[Candidate]) -> float:  # noqa: E741
    """The highest query coverage the candidate pairs could give (see ``_finish``), an
    upper bound of the name score: each query token at its best pair's similarity, the
    tokens without one at their least cost (``unpaired_cost``); a token with a pair counts
    only where it raises the coverage. (A cut query's last word and initials may pair
    later: they count as met.)"""
    best = [0.0] * len(q.tokens)
    for c in cands:
        sim = c[4]
        for i in c[2]:
            if sim > best[i]:
                best[i] = sim
    if can_truncate(q, l):
        best[-1] = max(best[-1], SIM_TRUNCATED)
    for i, r in enumerate(q.roles):
        if r == INITIAL:
            best[i] = 1.0
    met = sorted(((sim, qw[i]) for i, sim in enumerate(best) if sim > 0), reverse=True)
    if not met:
        return 0.0
    cost = unpaired_cost(q, qw, [sim > 0 for sim in best])
    num = den = bound = 0.0
    for sim, w in met:
        num += sim * w
        den += w
        bound = max(bound, num / (den + cost))
    return bound


def unpaired_cost(q: NameForm, qw: Sequence[float], paired: Sequence[bool]) -> float:
    """The least that the query's tokens without a pair add to the denominator of its
    coverage (``_finish``), given which tokens may pair: each its weight (a compound of two
    left out, as one), except that the names an abjad person's nasab chain may leave out
    (between the first and last tokens that pair, or after them where the chain starts at
    the given name and holds three names or a "bin") cost NASAB_SHARE of the heaviest."""
    roles = q.roles
    unmet = [i for i, p in enumerate(paired) if not p and roles[i] not in OPTIONAL_ROLES]
    if not unmet:
        return 0.0
    chain: tuple[int, int, bool] | None = None
    met = [i for i, p in enumerate(paired) if p]
    names = sum(1 for i in met if roles[i] in (NAME, INITIAL))
    if q.person and q.xkeys and names:
        core = [i for i, r in enumerate(roles) if r in (NAME, INITIAL)]
        trailing = bool(core) and met[0] <= core[0] and (
            names >= 3 or any(t in NASAB_PARTICLES and roles[k] == PARTICLE for k, t in enumerate(q.tokens))
        )
        chain = (met[0], met[-1], trailing)
    return _unmatched_cost(q, qw, unmet, chain, q.person)  # (the list name may hold no patronymic)


def _unmatched_cost(
    q: NameForm,
    qw: Sequence[float],
    unmatched: list[int],
    chain: tuple[int, int, bool] | None,
    patronymic_free: bool = False,
) -> float:
    """What the query tokens without a partner add to the denominator of its coverage: each
    its weight, one name written as two words (عبد الله, سيف الدين) left out as one name; the
    names a nasab ``chain`` (``_nasab_chain``) leaves out together NASAB_SHARE of the
    heaviest of them; a person's patronymic PATRONYMIC_SHARE of its weight where the list
    name holds none (``patronymic_free``: "NIKITIN Viktor Viktorovich" against "NIKITIN
    Viktor")."""
    q_cost = {i: qw[i] for i in unmatched}
    for a, b in q.compounds:
        if a in q_cost and b in q_cost:
            q_cost[a], q_cost[b] = max(qw[a], qw[b]), 0.0
    cost = left_out = 0.0
    for i in unmatched:
        if chain is not None and chain[0] < i and (i < chain[1] or chain[2]):
            left_out = max(left_out, q_cost[i])
        elif patronymic_free and _is_patronymic_at(q, i):
            cost += PATRONYMIC_SHARE * q_cost[i]
        else:
            cost += q_cost[i]
    return cost + NASAB_SHARE * left_out


def patronymic_discount(q: NameForm, qw: Sequence[float]) -> float:
    """The most that a person query's patronymics may cost less than their weight, left out
    by a list name that holds none (see ``_unmatched_cost``): for retrieval's bound."""
    if not q.person:
        return 0.0
    return (1.0 - PATRONYMIC_SHARE) * sum(qw[i] for i in range(len(q.tokens)) if _is_patronymic_at(q, i))


def _is_patronymic_at(q: NameForm, i: int) -> bool:
    """Whether token ``i`` of the query is a name read as a patronymic."""
    return i > 0 and q.roles[i] == NAME and is_patronymic(q.tokens[i])  # (see holds_patronymic)


def _align_initials(
    q: NameForm,
    l: NameForm,  # noqa: E741
    family: frozenset[int],
    used_q: list[bool],
    used_l: list[bool],
    pairs: list[Pair],
) -> None:
    """Query initials stand for the list name's given names, in order: the first initial
    must fit the first given name not already matched by a full word; later initials may
    skip a given name (a middle name left out). Never the family name."""
    given = [
        j
        for j, r in enumerate(l.roles)
        if not used_l[j] and j not in family and r in (NAME, PARTICLE)
    ]
    pos = 0
    first = True
    for i, r in enumerate(q.roles):
        if r != INITIAL or used_q[i]:
            continue
        letter = q.tokens[i][0]
        k = pos
        while k < len(given) and l.tokens[given[k]][0] != letter:
            if first:
                k = len(given)
                break
            k += 1
        first = False
        if k >= len(given):
            continue  # left unmatched: a conflicting initial
        j = given[k]
        used_q[i] = used_l[j] = True
        pairs.append(Pair((i,), (j,), 1.0, "initial"))
        pos = k + 1


def family_positions(form: NameForm) -> frozenset[int]:
    """Where the family name of a person name is: as the list states it, else the last
    distinctive token (the first, when the last is a patronymic: "IVANOV Ivan Ivanovich")."""
    if form.family:
        return form.family
    core = [j for j, r in enumerate(form.roles) if r == NAME]
    if len(core) < 2:
        return frozenset()
    if is_patronymic(form.tokens[core[-1]]):
        return frozenset({core[0]})
    return frozenset({core[-1]})


def _joined_candidates(
    at: tuple[str, ...],
    ak: tuple[str, ...],
    ar: tuple[int, ...],
    bt: tuple[str, ...],
    br: tuple[int, ...],
    aw: Weights,
    bw: Weights,
    cands: list[Candidate],
    query_joined: bool,
    b_syllables: frozenset[int] = frozenset(),
) -> None:
    """Candidates where one token of side a equals two adjacent tokens of side b, or three
    whose middle one is a short link (``joined_runs``: "Abdelaziz" and "Abd el Aziz",
    "Chanocha" and "Chan-o-cha").
    ``b_syllables``: positions of b's tokens that are syllables read from Hangul, Chinese
    characters, Burmese or kana. Joined, they must spell the token: one letter off is another
    syllable (飞鹰 fei ying is not "Feiyang"), not a typo; ``_syllables_joined`` reads their
    other spellings."""
    runs = joined_words(bt, br)
    if not runs:
        return
    for i, tok in enumerate(at):
        if len(tok) < 4 or ar[i] in (INITIAL, LEGAL, NUMBER):
            continue
        first = tok[0]
        size = len(tok)
        for run, joined in runs:
            if joined[0] != first or abs(len(joined) - size) > 2:
                continue
            if joined == tok:
                sim = SIM_JOINED_EXACT
            else:
                jkey = skeleton(joined)
                if jkey == ak[i]:
                    sim = SIM_JOINED
                elif (size >= 6 + len(run) - 2 and b_syllables.isdisjoint(run)
                      and OSA.distance(jkey, ak[i], score_cutoff=1) <= 1):
                    sim = SIM_JOINED_TYPO
                else:
                    continue
            weight = aw[i] + sum(bw[j] for j in run)
            if query_joined:
                cands.append((sim, weight, (i,), run, sim, "joined"))
            else:
                cands.append((sim, weight, run, (i,), sim, "joined"))


@lru_cache(maxsize=50_000)
def joined_words(tokens: tuple[str, ...], roles: tuple[int, ...]) -> tuple[tuple[tuple[int, ...], str], ...]:
    """``joined_runs`` with the word each run writes (a list name's are met again and again)."""
    return tuple((run, "".join(tokens[j] for j in run)) for run in joined_runs(tokens, roles))


JOIN_LINK_MAX = 3  # the longest middle word of three written as one ("abd el aziz", "van der berg")


def joined_runs(tokens: tuple[str, ...], roles: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The runs of adjacent tokens that a name written elsewhere as one word may join: every
    two, and every three whose middle one is a short link (an article, particle or the "o"
    of "Chan-o-cha"), initials never."""
    n = len(tokens)
    runs: list[tuple[int, ...]] = []
    for j in range(n - 1):
        if roles[j] == INITIAL or roles[j + 1] == INITIAL:
            continue
        runs.append((j, j + 1))
        if j + 2 < n and len(tokens[j + 1]) <= JOIN_LINK_MAX and roles[j + 2] != INITIAL:
            runs.append((j, j + 1, j + 2))
    return runs


CROSS_SCRIPT = "cross_script"
CROSS_SCRIPT_JOINED = "cross_script_joined"
TRANSLATION = "translation"
NAME_SYMBOL = "name_symbol"


def _translates(glosses: tuple[str, ...], token: str, key: str) -> bool:
    """Whether ``token`` (skeleton ``key``) is one of an abjad word's English ``glosses``
    (or a spelling of one: "jehad" for jihad)."""
    return bool(glosses) and (token in glosses or key in _gloss_keys(glosses))


def _gloss_pair_candidates(
    q: NameForm,
    qw: Weights,
    l: NameForm,  # noqa: E741
    lw: Weights,
    cands: list[Candidate],
) -> None:
    """A word of one name that translates as two English words ("خاورمیانه": middle east)
    against those two words, in that order, in the other name."""
    for a, aw, b, bw, a_is_query in ((q, qw, l, lw, True), (l, lw, q, qw, False)):
        for i, glosses in enumerate(a.glosses):
            for gloss in glosses:
                first, _, second = gloss.partition(" ")
                if not second:
                    continue
                for j in range(len(b.tokens) - 1):
                    if b.tokens[j] == first and b.tokens[j + 1] == second:
                        weight = aw[i] + bw[j] + bw[j + 1]
                        pair = ((i,), (j, j + 1)) if a_is_query else ((j, j + 1), (i,))
                        cands.append((SIM_GLOSS, weight, pair[0], pair[1], SIM_GLOSS, TRANSLATION))


@lru_cache(maxsize=10_000)
def _gloss_keys(glosses: tuple[str, ...]) -> frozenset[str]:
    return frozenset(skeleton(g) for g in glosses)


def _cross_token_sim(xa: str, ta: str, xb: str, tb: str) -> float:
    """Cross-script similarity when exactly one of two tokens was written in an abjad
    (``xa``/``xb``: its consonant classes, "" for a token written in Latin letters)."""
    if bool(xa) == bool(xb):
        return 0.0
    key, latin = (xa, tb) if xa else (xb, ta)
    if key[1:2] == ":":
        # A syllable of Hangul, Burmese, kana or Chinese: its other spellings share the key.
        keys = latin_syllable_keys(key[0], latin)
        if key[2:] in keys:
            return SIM_TRANSLIT
        if key[0] == "j" and not left_to_syllables("j", 0, latin):
            # A kana word against a Latin word that does not read as Japanese: a foreign
            # name written by its sound (ロバート, Robert).
            return loan_sim(ta if xa else tb, latin)
        return 0.0
    if bare_abd(latin) and key != ABD_CLASSES:
        return 0.0
    classes = latin_classes(latin)
    sim = cross_sim(key, classes)
    bare = prosthesis_free(key, latin)
    if bare is not None:
        sim = max(sim, cross_sim(bare, classes))  # (اسمیت Smith)
    said = voiced_s_free(bare or key, latin)
    if said is not None:
        sim = max(sim, cross_sim(said, classes))  # (چارلز Charles)
    other = other_reading(latin)
    sim = max(sim, cross_sim(key, latin_classes(other))) if other else sim
    return max(sim, french_cross_sim(key, latin))  # (جاك شيراك, Jacques Chirac)


def may_be_particle(form: NameForm, i: int) -> bool:
    """Whether query token ``i`` may pair with a particle a person's list name holds, which
    the index leaves out ("bin", "ben", "abu", "de" ...): a name word that would be one in
    Latin letters, or an abjad word the scorer reads as one (בן against Ben-Zion)."""
    if form.roles[i] != NAME:
        return False
    if could_be_particle(form.tokens, i):
        return True
    xkey = form.xkeys[i] if form.xkeys else ""
    return bool(xkey) and xkey[1:2] != ":" and _reads_as_particle(xkey)


@lru_cache(maxsize=10_000)
def _reads_as_particle(xkey: str) -> bool:
    particles = _particles_by_key()
    if len(xkey) <= 2:
        found = {p for ps in particles.values() for p in ps}  # (a word of vowels has no key)
    else:
        keys = {near for key in index_keys(xkey) for near in (key, *near_keys(key))}
        keys.update(d for key in list(keys) for d in deletes(key))  # (ابو Abu)
        found = {p for key in keys for p in particles.get(key, ())}
    return any(_cross_token_sim(xkey, "", "", p) >= MIN_PAIR_SIM for p in found)


@lru_cache(maxsize=1)
def _particles_by_key() -> dict[str, tuple[str, ...]]:
    """The particles of person names by retrieval key (abjad.index_key), so that an abjad
    word is compared only with those that may read as it."""
    ref = reference()
    by_key: dict[str, list[str]] = {}
    for particle in sorted(ref.particles | ref.inner_particles):
        by_key.setdefault(index_key(latin_classes(particle)), []).append(particle)
    return {key: tuple(ps) for key, ps in by_key.items()}


def _symbol_candidates(
    q: NameForm,
    qw: Weights,
    l: NameForm,  # noqa: E741
    lw: Weights,
    cands: list[Candidate],
    gaps: frozenset[int] | None,
) -> None:
    """A query word written in another script and a Latin name token of the list name that
    are one given or family name by rigour's Wikidata name items (:mod:`.symbols`):
    マイケル and Michael, 마이클 (three syllables) and Michael. Only names, never particles or
    titles, and only for a word whose spelling met no token of the list name (the items
    fill gaps) or met a token only weakly, which the items then confirm for that token
    alone; a name the spelling rules read well needs no look-up (nor the items loaded).
    (Arabic script does not use the items: "علي" against "Ali" stays the short-name 0.75
    the abjad classes give.) Query words only: a list's names in other scripts come with Latin ones,
    which a Latin query meets."""
    latin = _latin_names(l)
    if not latin:
        return
    met = {i for c in cands if c[0] >= MIN_PAIR_SIM for i in c[2]}  # spelled, not a gap's filling
    # A word spelt like a token of this name only weakly, which the items say is the same
    # name, meets that token at the items' similarity: two kinds of evidence agree
    # (אהרון and Aaron, 0.78 by the letters).
    weak = {(c[2][0], c[3][0]) for c in cands
            if MIN_PAIR_SIM <= c[0] < SIM_SYMBOL and len(c[2]) == 1 and len(c[3]) == 1}
    for positions in native_words(q):
        if gaps is not None and not gaps.issuperset(positions):
            continue
        confirm = not met.isdisjoint(positions)
        if confirm and len(positions) > 1:
            continue
        mine = word_symbols(q.native[positions[0]])
        if not mine:
            continue
        for j in latin:
            if confirm and (positions[0], j) not in weak:
                continue
            if not mine.isdisjoint(word_symbols(l.tokens[j])):
                if confirm:
                    cands.append((SIM_SYMBOL, qw[positions[0]] + lw[j], tuple(positions), (j,), SIM_SYMBOL, NAME_SYMBOL))
                    continue
                # Taken after the spelled pairs: a name item may hold two names of one
                # person (فاروق shares one with Omar), so it never takes a word away.
                weight = sum(qw[i] for i in positions) + lw[j]
                cands.append((GAP_PRIORITY * SIM_SYMBOL, weight, tuple(positions), (j,), SIM_SYMBOL, NAME_SYMBOL))


def _latin_names(form: NameForm) -> list[int]:
    """Positions of the name tokens ``form`` writes in Latin letters (long enough to be a
    name): the partners of a word from another script met by its items or its sound."""
    return [j for j, r in enumerate(form.roles) if r == NAME and len(form.tokens[j]) >= MIN_LATIN_LENGTH
            and not (form.native and form.native[j]) and not (form.xkeys and form.xkeys[j])]


def _heard_candidates(
    q: NameForm,
    qw: Weights,
    l: NameForm,  # noqa: E741
    lw: Weights,
    cands: list[Candidate],
) -> None:
    """A query word of an alphabet that writes a foreign name by its sound (Cyrillic,
    Greek, Indic ...: Джон, Майкл Джексон) against a Latin name token of the list name it
    may write (John, Michael Jackson; :mod:`.heard`), where its spelling met no token of the
    list name as closely as a reading can (Джексон is a typo away from Jackson, 0.8; heard,
    0.88; КОВАЛЬОВА a typo away from Kovaleva, 0.90, read the Russian way 0.92). A reading
    is aligned as a spelled pair is, by its similarity."""
    latin = _latin_names(l)
    if not latin:
        return
    spelt: dict[tuple[int, int], float] = {}
    for c in cands:
        if len(c[2]) == 1 and len(c[3]) == 1:
            spelt[(c[2][0], c[3][0])] = max(c[4], spelt.get((c[2][0], c[3][0]), 0.0))
    well_met = {i for (i, _j), sim in spelt.items() if sim >= SIM_HEARD}
    for i in (i for positions in native_words(q) for i in positions):  # (Зета-Джонс: two)
        if i in well_met or (q.xkeys and q.xkeys[i]):
            continue
        readings = sound_readings(q.native[i], q.tokens[i])
        for j in latin if readings else ():
            sim = max(heard_sim(reading, l.tokens[j]) for reading in readings)
            if sim >= MIN_PAIR_SIM and sim > spelt.get((i, j), 0.0):
                cands.append((sim, qw[i] + lw[j], (i,), (j,), sim, CROSS_SCRIPT))


def _runs(form: NameForm, positions: Iterable[int]) -> list[list[int]]:
    """``positions`` grouped into the words they were written in: adjacent tokens of one
    written word in another script (all the syllables of "마이클", though a Korean name's
    first syllable is a word of its own; 唐纳德 tang na de)."""
    out: list[list[int]] = []
    for i in positions:
        if out and out[-1][-1] == i - 1 and form.native[i] == form.native[i - 1]:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def written_words(form: NameForm, prefix: str) -> list[list[int]]:
    """The written words whose tokens carry syllable keys with ``prefix`` ("k:")."""
    return _runs(form, (i for i, x in enumerate(form.xkeys) if x.startswith(prefix)))


def native_words(form: NameForm) -> list[list[int]]:
    """The name tokens of each word ``form`` writes in another script than Latin, in order.
    Words of several syllables count only in a person's name written as several words, the
    way Chinese and Korean write a foreign name (唐纳德·特朗普), or as one word read as a
    foreign name (``_foreign_word``: a Hangul word of ``hangul_loan_words``, 스미스; a word
    of Chinese transcription characters, 普京); one run of characters is otherwise a
    Chinese or Korean name, or a firm's name, read by its syllables."""
    written = _runs(form, (i for i, word in enumerate(form.native) if word and form.roles[i] == NAME))
    whole_name = len(written) == 1 and len(written[0]) == len(form.tokens)
    if not form.person or (len(written) < 2 and not (whole_name and _foreign_word(form, written[0]))):
        written = [w for w in written if len(w) == 1]
    return [w for w in written if len(w) <= MAX_WORD_SYLLABLES]


MAX_WORD_SYLLABLES = 5  # a foreign given or family name written in syllables


def _foreign_word(form: NameForm, positions: list[int]) -> bool:
    """Whether the word at ``positions`` may write a foreign name by its sound: a Hangul
    word (``hangul_loan_words``) or a word of Chinese transcription characters."""
    return positions in hangul_loan_words(form) or writes_foreign_name(form.native[positions[0]], _dotted_person(form))


def _dotted_person(form: NameForm) -> bool:
    """Whether ``form`` is a person's name written with the middle dot of a foreign name
    (``chinese.dotted``: 伊戈尔·谢钦), whose words are all transcriptions."""
    return form.person and dotted(form.text)


def hangul_loan_words(form: NameForm) -> list[list[int]]:
    """The Hangul words of ``form`` that may write a foreign name by its sound: words of two
    or more syllables, unless the whole name is one word of three syllables or fewer that
    starts with a Korean family name, the way a Korean writes a Korean name (김예지), which
    is read by its syllables only (스미스, Smith, is read both ways), and holds no syllable
    that only a foreign word writes (리처드 Richard starts with 리, Ri, and ends in 드). A
    word of one syllable is one only beside a word that holds such a syllable: it is a
    foreign name's too (팻 로버트슨, Pat Robertson)."""
    runs = written_words(form, "k:")
    if len(runs) == 1 and len(runs[0]) <= 3 and len(form.tokens) == len(runs[0]) and (
        starts_korean_name(form.native[runs[0][0]]) and not writes_loanword_syllable(form.native[runs[0][0]])
    ):
        return []
    words = [run for run in runs if len(run) >= 2]
    if len(words) < len(runs) and any(writes_loanword_syllable(form.native[run[0]]) for run in words):
        return runs
    return words


def loan_words(form: NameForm) -> list[tuple[str, list[int], str]]:
    """The words of ``form`` that may write a foreign name by its sound, each with its
    language ("k", "c") and its reading for :mod:`.loanwords`: the Hangul words of
    ``hangul_loan_words``, and the words of Chinese characters that are all the
    transcription tables' (``chinese.transcription_reading``: 普京 pu jing), in a firm's
    name the longest such start of the name (``_firm_sound_word``: 摩托罗拉公司, Motorola)."""
    words = [("k", run, "".join(_loan_syllable(form.tokens[i]) for i in run)) for run in hangul_loan_words(form)]
    in_dotted_name = _dotted_person(form)
    for run in written_words(form, "c:"):
        positions = run if form.person else _firm_sound_word(form, run)
        word = form.native[run[0]][: len(positions)]
        reading = transcription_reading(word, [form.tokens[i] for i in positions], in_dotted_name) if positions else ""
        if reading:
            words.append(("c", positions, reading))
    return words


def _loan_syllable(token: str) -> str:
    """A Hangul syllable's romanisation as a foreign word's sound: 이 is the vowel i there
    (이사벨라 Isabella, 에이킨 Aiken), not the family name's "yi" its token holds; a final
    ㅂ writes a p or a b (필립 Philip, 제이콥 Jacob: ``loanwords.P_OR_B``)."""
    if token == "yi":
        return "i"
    return token[:-1] + P_OR_B if token.endswith("p") else token


def loan_syllables(form: NameForm, language: str, positions: list[int]) -> int:
    """The syllables ``left_to_syllables`` counts for a word of ``loan_words``: its own, or
    three for a Hangul word that holds a syllable only a foreign word writes (와트 Watt,
    ``writes_loanword_syllable``), which is no Korean name whatever its length, and for a
    word of one syllable, which is a loan word only in such a name (``hangul_loan_words``)."""
    if language == "k" and form.native and (len(positions) == 1 or writes_loanword_syllable(form.native[positions[0]])):
        return max(len(positions), 3)
    return len(positions)


def left_to_syllables(language: str, syllables: int, latin: str) -> bool:
    """Whether a Latin token is left to the syllable keys rather than read against a word
    of ``syllables`` syllables as a foreign name: it reads as a syllable of the language
    (Dan as 단, Mark as 막) and the word is short enough to be a name of such syllables;
    a word of three or more (마르크, 크리스토퍼) may write it by its sound."""
    if language == "j" and "v" in latin:
        return False  # (no Japanese name has a v: ヴァ writes a foreign one, Vassiliki)
    return syllables < 3 and bool(latin_syllable_keys(language, latin))


def _firm_sound_word(form: NameForm, run: list[int]) -> list[int]:
    """The start of a firm's name in Chinese characters (a run of ``form``) that may write
    a foreign name by its sound: the longest run of its first syllables, before its first
    translated word or legal form, that ``chinese.writes_foreign_name`` (麦克维尔 of
    麦克维尔工业贸易有限公司, Makewell Industrial Trading); [] if none."""
    syllables: list[int] = []
    for i in run:
        if form.roles[i] != NAME or (form.glosses and form.glosses[i]):
            break
        syllables.append(i)
    return syllables[: foreign_name_start(form.native[run[0]], len(syllables))]


def _loan_candidates(
    q: NameForm,
    qw: Weights,
    l: NameForm,  # noqa: E741
    lw: Weights,
    cands: list[Candidate],
) -> None:
    """A Hangul word of two or more syllables, or a word of Chinese transcription
    characters, against a Latin name token it writes as a foreign name by its sound (로버트,
    罗伯特 Robert, :mod:`.loanwords`), where the syllable keys met nothing; aligned after
    every spelled pair."""
    spelt = {(c[2], c[3]) for c in cands}
    for a, aw, b, bw, a_is_query in ((q, qw, l, lw, True), (l, lw, q, qw, False)):
        if not a.xkeys or not a.native:
            continue
        latin = [j for j, r in enumerate(b.roles) if r == NAME and not (b.xkeys and b.xkeys[j])]
        words = loan_words(a)
        for language, positions, word in words:
            if any(a.roles[i] != NAME for i in positions) or (language == "c" and a.person != b.person):
                continue  # (a Chinese transcription meets a name of its own kind: a person's, a firm's)
            for j in latin:
                key = (tuple(positions), (j,)) if a_is_query else ((j,), tuple(positions))
                if key in spelt or left_to_syllables(language, loan_syllables(a, language, positions), b.tokens[j]):
                    continue
                sim = loan_sim(word, b.tokens[j], language)
                if sim == SIM_TWO_CONSONANTS and len(words) >= 2:
                    sim = SIM_TWO_IN_NAME
                if sim >= MIN_PAIR_SIM:
                    weight = sum(aw[i] for i in positions) + bw[j]
                    cands.append((GAP_PRIORITY * sim, weight, key[0], key[1], sim, CROSS_SCRIPT_JOINED))


def _cross_joined_candidates(
    q: NameForm,
    qw: Weights,
    l: NameForm,  # noqa: E741
    lw: Weights,
    cands: list[Candidate],
) -> None:
    """Cross-script candidates where one token of one name is two of the other: "عبد الله"
    against "Abdullah", "Nasr Allah" against "نصرالله". A particle between the two (the
    article of "عبد الرحمن") stays free for its own partner."""
    for a, aw, b, bw, a_is_query in ((q, qw, l, lw, True), (l, lw, q, qw, False)):
        kunyas = kunya_pairs(a)
        bens = ben_pairs(a)
        abjad_bens = abjad_ben_pairs(a)
        broken: list[tuple[int, tuple[tuple[str, str], ...]]] | None = None  # b's words that may be two
        for first, second in _adjacent_core(a) + kunyas + bens + abjad_bens:
            if a.xkeys and a.xkeys[first][1:2] == ":":
                _syllables_joined(a, first, second, aw, b, bw, a_is_query, cands)
                continue
            a_abjad = bool(a.xkeys and a.xkeys[second])
            if a_abjad != bool(a.xkeys and a.xkeys[first]) and (first, second) not in kunyas + abjad_bens:
                continue  # one word in each script
            if a_abjad and a.person and second - first == 2 and (first, second) not in (*a.compounds, *kunyas):
                continue  # "X al-Y" of a person is a name and a family or tribe (معين العوالق)
            if not a_abjad and b.xkeys:  # (two words, or two with the article between)
                if broken is None:
                    broken = [(j, br) for j in range(len(b.tokens)) if b.roles[j] == NAME and (br := hidden_break_classes(b, j))]
                if broken:
                    _hidden_break_candidates(a, first, second, aw, b, bw, broken, a_is_query, cands)
            if not a_abjad and (first in a.family) != (second in a.family) and (first, second) not in bens:
                continue  # a given name and the family name are not one written word
            # Two abjad words read as one Latin word: one name written as two (عبد الله, أبو
            # بكر, احمدی نژاد); in a person's name nothing else ("لقاء مهنا" is not "Luqman"),
            # in another name only when they meet it closely.
            one_name = (first, second) in a.compounds or (first, second) in kunyas
            if a_abjad and a.person and not one_name and (first, second) not in abjad_bens:
                continue  # (a "bin" and a name, written as one, must meet it closely: below)
            least = MIN_PAIR_SIM if (not a_abjad and (first, second) not in bens) or one_name else SIM_TRANSLIT_SHORT
            readings = joined_classes(a, first, second)
            for j, tok in enumerate(b.tokens):
                b_abjad = bool(b.xkeys and b.xkeys[j])
                if b.roles[j] != NAME or b_abjad == a_abjad:
                    continue
                if a_abjad:
                    sim = max(cross_sim(joined, latin_classes(tok)) for joined in readings)
                elif b.xkeys[j][:2] == "j:":
                    # A kana word of a foreign name written as one (ビンラディン, bin Laden).
                    sim = loan_sim(tok, a.tokens[first] + a.tokens[second])
                else:
                    sim = max(cross_sim(b.xkeys[j], joined) for joined in readings)
                if sim >= least:
                    weight = aw[first] + aw[second] + bw[j]
                    _add_joined(cands, min(sim, SIM_JOINED), weight, (first, second), j, a_is_query)


def _hidden_break_candidates(
    a: NameForm,
    first: int,
    second: int,
    aw: Weights,
    b: NameForm,
    bw: Weights,
    broken: list[tuple[int, tuple[tuple[str, str], ...]]],
    a_is_query: bool,
    cands: list[Candidate],
) -> None:
    """Two Latin words against one abjad word that is two run together, the space after a
    letter that joins nothing not showing ("ظاهرعويس" against "Dahir Aweys"; "بشارالاسد",
    the second with its article, against "Bashar al-Assad"): each part must read as its
    Latin word (the second with the article between), and the pair scores as the whole
    word against them. ``broken``: b's name words that may be two, with their parts' classes."""
    tail_word = "".join(a.tokens[first + 1 : second + 1])
    first_classes, second_classes = latin_classes(a.tokens[first]), latin_classes(tail_word)
    for j, breaks in broken:
        for head, tail in breaks:
            if cross_sim(head, first_classes) >= MIN_PAIR_SIM and cross_sim(tail, second_classes) >= MIN_PAIR_SIM:
                sim = cross_sim(b.xkeys[j], latin_classes(a.tokens[first] + tail_word))
                if sim >= MIN_PAIR_SIM:
                    _add_joined(cands, min(sim, SIM_JOINED), aw[first] + aw[second] + bw[j], (first, second), j, a_is_query)
                break


def _add_joined(
    cands: list[Candidate],
    sim: float,
    weight: float,
    pair: tuple[int, int],
    j: int,
    pair_in_query: bool,
) -> None:
    """A cross-script candidate: two tokens of one name (``pair``) against token ``j``."""
    if pair_in_query:
        cands.append((sim, weight, pair, (j,), sim, CROSS_SCRIPT_JOINED))
    else:
        cands.append((sim, weight, (j,), pair, sim, CROSS_SCRIPT_JOINED))


def _syllables_joined(
    a: NameForm,
    first: int,
    second: int,
    aw: Weights,
    b: NameForm,
    bw: Weights,
    a_is_query: bool,
    cands: list[Candidate],
) -> None:
    """Two syllables (Hangul, Burmese) that a Latin name writes as one word, in any
    spelling: 정은 against "Jeongeun" or "Jong-Un" written together."""
    x1, x2 = a.xkeys[first], a.xkeys[second]
    if x1[:2] != x2[:2] or (b.xkeys and any(b.xkeys)):
        return
    prefix = x1[0]
    for j, tok in enumerate(b.tokens):
        if b.roles[j] != NAME or len(tok) < 3:
            continue
        for cut in range(1, len(tok)):
            if x1[2:] in latin_syllable_keys(prefix, tok[:cut]) and x2[2:] in latin_syllable_keys(prefix, tok[cut:]):
                _add_joined(cands, SIM_JOINED, aw[first] + aw[second] + bw[j], (first, second), j, a_is_query)
                break


def _syllable_order_differs(q: NameForm, l: NameForm, pairs: list[Pair]) -> bool:  # noqa: E741
    """Whether a Burmese name (no family name: order is part of the name) met the other
    name's words in another order, or a Chinese or Korean name in its script met the list
    name's given-name syllables in another order (광수 Kwang-su is not Su-kwang; the family
    name, its first syllable, may stand anywhere)."""
    if not q.xkeys and not l.xkeys:
        return False
    if any(x.startswith("m:") for x in (*q.xkeys, *l.xkeys)):
        order = [p.l[0] for p in sorted(pairs, key=lambda p: p.q[0])]
        return order != sorted(order)
    if _syllabic(q):
        order = [p.l[0] for p in sorted(pairs, key=lambda p: p.q[0]) if p.q[0] > 0]
        return order != sorted(order)
    return False


def _nasab_conflict(q: NameForm, l: NameForm, pairs: list[Pair]) -> bool:  # noqa: E741
    """Whether one name's "X bin Y" is met as the other's "Y bin X": the father for the son
    (a son named for his grandfather, or another family's). Read both ways; the order of
    the other words is free. (A father left out, "X bin W bin Y" against "X bin Y", is
    not this: lists shorten a chain, and a Maghrebi "Ben Y" may be a lineage name.)"""
    if NASAB_PARTICLES.isdisjoint(q.tokens) or NASAB_PARTICLES.isdisjoint(l.tokens):
        return False
    return (_fathers_differ(l, q, {j: min(p.q) for p in pairs for j in p.l})
            or _fathers_differ(q, l, {i: min(p.l) for p in pairs for i in p.q}))


def _fathers_differ(a: NameForm, b: NameForm, met: dict[int, int]) -> bool:
    """``_nasab_conflict`` for the "X bin Y" of ``a`` (``met``: the position in ``b`` that
    each of a's words is met at). A "bin" before either name's last word may start a family
    name (Bin Laden), and is left alone."""
    at, ar, bt = a.tokens, a.roles, b.tokens
    last = max((j for j, r in enumerate(ar) if r == NAME), default=-1)
    b_last = max((j for j, r in enumerate(b.roles) if r == NAME), default=-1)
    b_family = b_last if b_last > 0 and bt[b_last - 1] in NASAB_PARTICLES else -1
    for k in range(1, last - 1):
        if at[k] not in NASAB_PARTICLES or ar[k] != PARTICLE or ar[k - 1] != NAME or ar[k + 1] != NAME:
            continue
        son, father = met.get(k - 1), met.get(k + 1)
        if son is None or father is None or b_family in (son, father):
            continue
        if father < son and any(bt[m] in NASAB_PARTICLES for m in range(father + 1, son)):
            return True  # "Y bin X"
    return False


# The Burmese honorifics (U, Daw: Mr, Mrs) as Latin writes them before a name.
LATIN_BURMESE_HONORIFICS = frozenset({"u", "oo", "daw"})


def _burmese_honorific(q: NameForm, l: NameForm) -> bool:  # noqa: E741
    """Whether the Latin list name starts with a Burmese honorific and the query is a name
    in Myanmar script (which leaves its honorific out: ``normalize``)."""
    return (
        len(l.tokens) > 1
        and l.tokens[0] in LATIN_BURMESE_HONORIFICS
        and not l.xkeys
        and any(x.startswith("m:") for x in q.xkeys)
    )


def _syllable_tokens(form: NameForm) -> frozenset[int]:
    """Positions of the tokens read as syllables of Hangul, Chinese, Burmese or kana."""
    if not form.xkeys:
        return frozenset()
    return frozenset(i for i, x in enumerate(form.xkeys) if x[1:2] == ":")


def _syllabic(form: NameForm) -> bool:
    """Whether the name is a person's name, Chinese or Korean, written in its script (its
    tokens syllables; an organisation's name, with a legal form or a translated word, is not
    read as given-name syllables)."""
    return not form.legal and not form.glosses and any(x[:2] in ("c:", "k:") for x in form.xkeys)


def _unmatched_syllable(q: NameForm, unmatched: Sequence[int]) -> bool:
    """Whether a name syllable of query ``q`` went unmatched that is no middle name of a
    foreign name (``_foreign_middle_names``)."""
    syllables = [i for i in unmatched if q.roles[i] == NAME and q.xkeys[i]]
    if not syllables:
        return False
    middle = _foreign_middle_names(q)
    return any(i not in middle for i in syllables)


def _foreign_middle_names(form: NameForm) -> frozenset[int]:
    """The positions of the middle words of a name in Hangul or Chinese characters of three
    written words or more: a Chinese or Korean name has two at most (family and given
    name), so such a name is a foreign one written by its sound (리처드 로런스 테일러,
    Richard Lawrence Taylor), and its middle words are middle names a list may leave out."""
    runs = written_words(form, "k:") or written_words(form, "c:")
    if len(runs) < 3:
        return frozenset()
    return frozenset(i for run in runs[1:-1] for i in run)


@lru_cache(maxsize=50_000)
def _may_spell_syllables(token: str) -> bool:
    """Whether a Latin token may spell one syllable, or two joined, of a Chinese or Korean
    name (either: Korean names are written in Chinese characters too): Un, Ryonghae,
    Xiaoping may; Gabriel and a Russian patronymic (Viktorovich) may not, and are a middle
    name that the writing of a foreign name in characters or Hangul leaves out (罗伯特·穆加贝
    Robert Gabriel MUGABE)."""
    return any(
        latin_syllable_keys(script, token)
        or any(latin_syllable_keys(script, token[:k]) and latin_syllable_keys(script, token[k:]) for k in range(1, len(token)))
        for script in "ck"
    )


def _classes(form: NameForm, i: int) -> str:
    if form.xkeys and form.xkeys[i]:
        return form.xkeys[i]
    if form.xkeys and form.tokens[i] in PARTICLE_CLASSES and i + 1 < len(form.tokens) and form.xkeys[i + 1]:
        # أبو of a kunya, بن of a Maghrebi family name, written in the abjad (see
        # kunya_pairs, abjad_ben_pairs)
        return PARTICLE_CLASSES[form.tokens[i]]
    return latin_classes(form.tokens[i])


# The classes of the sun letters (ت ث د ذ ر ز س ش ص ض ط ظ ل ن), which the article's l
# takes the sound of: "Abu al-Tayyib" is said, and often written, Abuttayeb.
SUN_CLASSES = frozenset("tTdDrzsSln")
FINAL_VOWEL = "A"  # a final alif or ta marbuta (data/abjad.yml)


def joined_classes(form: NameForm, first: int, second: int) -> tuple[str, ...]:
    """The readings (classes) of words ``first`` and ``second`` of a name written as one
    word. Over the article, the word holds its l before a moon letter (أبو الفضل Abolfazl,
    ضياء الحق Ziaulhaq), or not (سيف الدين Saifuddin; a kunya only before a sun letter:
    Abuttayeb, never "Abufazl"). A first word's final alif is a vowel inside the word (علاء
    الدين Alauddin, عطا الله Atallah), where its ta marbuta is the t (نعمة الله Nimatullah)."""
    head, tail = _classes(form, first), _classes(form, second)
    tokens = form.tokens
    over_article = second - first == 2 and tokens[first + 1] in ARTICLES
    kunya = over_article and tokens[first] in PARTICLE_CLASSES
    sun = tail.lstrip(INITIAL_VOWEL + OPTIONAL_VOWEL)[:1] in SUN_CLASSES
    heads = [PARTICLE_CLASSES[tokens[first]]] if kunya else [head]
    if head.endswith(FINAL_VOWEL) and len(head) > 1:
        heads.append(head[:-1])
    readings: list[str] = []
    for written in heads:
        if over_article and not sun:
            readings.append(join_classes(written + "l", tail))
        if not kunya or sun:
            readings.append(join_classes(written, tail))
    return tuple(readings)


ABU_CLASSES = abjad_classes("أبو")
ABD_CLASSES = abjad_classes("عبد")
# The letters of the particles an abjad name writes apart and Latin may join to the name
# after them: أبو (Abubakar), بن and ابن (Benkhedda; ابن is written without its alif there).
PARTICLE_CLASSES = {"abu": ABU_CLASSES, "bin": abjad_classes("بن"), "ibn": abjad_classes("بن")}


def kunya_pairs(form: NameForm) -> list[tuple[int, int]]:
    """"أبو" + a name written in an abjad: a given name Latin often writes as one word
    (أبو بكر Abubakar, أبو القاسم Abulkasim); positions of the particle and the name."""
    if not form.xkeys:
        return []
    toks, roles, xk = form.tokens, form.roles, form.xkeys
    out = []
    for k in range(len(toks) - 1):
        if toks[k] == "abu" and roles[k] == PARTICLE and not xk[k]:
            m = k + 2 if toks[k + 1] in ARTICLES and k + 2 < len(toks) else k + 1
            if roles[m] == NAME and xk[m]:
                out.append((k, m))
    return out


def abjad_ben_pairs(form: NameForm) -> list[tuple[int, int]]:
    """"بن" (or "ابن") + a name, both written in an abjad: a Maghrebi family name that Latin
    letters write as one word ("بن خدة" Benkhedda, "بن يوسف" Benyoucef); positions of the
    particle and the name."""
    if not form.xkeys:
        return []
    toks, roles, xk = form.tokens, form.roles, form.xkeys
    return [(k, k + 1) for k in range(len(toks) - 1)
            if toks[k] in ("bin", "ibn") and roles[k] == PARTICLE and not xk[k] and roles[k + 1] == NAME and xk[k + 1]]


# Particles a Maghrebi family name starts with, which Arabic script may write into the name
# as one word (بنعلي Benali, بنحسين "Ben Hassine").
JOINABLE_PARTICLES = frozenset({"ben", "bin", "ibn"})


def ben_pairs(form: NameForm) -> list[tuple[int, int]]:
    """"Ben" + a name in Latin letters, which an abjad name may write as one word
    ("Seifallah Ben HASSINE" and "سيف الله بنحسين"); positions of the particle and the name."""
    if form.xkeys:
        return []
    toks, roles = form.tokens, form.roles
    return [(k, k + 1) for k in range(len(toks) - 1)
            if toks[k] in JOINABLE_PARTICLES and roles[k] == PARTICLE and roles[k + 1] == NAME]


# The article, the one particle that may stand inside one name written as two words
# ("Abd al-Aziz", "Nasr ul-Lah"); "bin", "abu" ... stand between two names.
ARTICLES = frozenset({"al", "el", "ul"})


def _adjacent_core(form: NameForm) -> list[tuple[int, int]]:
    """Pairs of neighbouring distinctive tokens, with at most the article between them."""
    core = [i for i, r in enumerate(form.roles) if r == NAME]
    out = []
    for a, b in zip(core, core[1:], strict=False):
        between = range(a + 1, b)
        if len(between) <= 1 and all(form.roles[k] == PARTICLE and form.tokens[k] in ARTICLES for k in between):
            out.append((a, b))
    return out


def _truncation(
    q: NameForm, l: NameForm, used_q: list[bool], used_l: list[bool], pairs: list[Pair]  # noqa: E741
) -> tuple[int, bool]:
    """If ``q`` reads as ``l`` cut short, the list position where the cut falls."""
    nq, nl = len(q.tokens), len(l.tokens)
    last = nq - 1
    tok = q.tokens[last]
    for k, p in enumerate(pairs):
        # A cut token first aligned as a typo ("kolobano" ~ "kolobanovo") is a prefix.
        if p.q == (last,) and len(p.l) == 1 and p.sim < SIM_TRUNCATED and l.tokens[p.l[0]].startswith(tok):
            pairs[k] = Pair(p.q, p.l, SIM_TRUNCATED, "truncated")
    if not used_q[last]:
        for j in range(nl):
            if not used_l[j] and l.tokens[j].startswith(tok) and l.tokens[j] != tok:
                used_q[last] = used_l[j] = True
                pairs.append(Pair((last,), (j,), SIM_TRUNCATED, "truncated"))
                break
        else:
            return nl, False
    # The query's last token must meet the last list token reached, and every list token
    # before it must be matched: then the rest of the list name was cut off.
    end = -1
    for p in pairs:
        if last in p.q:
            end = max(p.l)
    if end < 0 or end >= nl - 1:
        return nl, False
    if max(max(p.l) for p in pairs) != end:
        return nl, False
    for j in range(end):
        if not used_l[j] and l.roles[j] not in OPTIONAL_ROLES:
            return nl, False
    return end + 1, True


NASAB_PARTICLES = frozenset({"bin", "ibn", "ben", "bint", "binti", "ould"})


def _family_after_nasab(
    q: NameForm, l: NameForm, start: int, used_l: list[bool], pairs: list[Pair]  # noqa: E741
) -> bool:
    """Whether the list name's last word (from ``start``) is a family name "Al X" after a
    nasab ("Sattam bin Abdulaziz Al Saud") whose given and father's names the abjad query
    matched: the family name is often left out of such a name ("سطام بن عبد العزيز")."""
    if not (q.xkeys and q.person) or start < 1 or l.tokens[start - 1] not in ("al", "el", "aal"):
        return False
    lt, lr = l.tokens, l.roles
    for k in range(1, start - 1):
        if lt[k] in NASAB_PARTICLES and lr[k] == PARTICLE and used_l[k - 1] and used_l[k + 1]:
            # The query names the son before the father, as the list does (not "Y bin X").
            son = next((min(p.q) for p in pairs if k - 1 in p.l), -1)
            father = next((min(p.q) for p in pairs if k + 1 in p.l), -1)
            return lr[k - 1] == NAME and son < father
    return False


def _after_nasab(l: NameForm, j: int) -> bool:  # noqa: E741
    """Whether list token ``j`` is the name after "bin", "ben", "ibn" or "ould" (with an
    article between or not): a father's or an ancestor's name."""
    k = j - 1
    while k >= 0 and l.roles[k] == PARTICLE:
        if l.tokens[k] in NASAB_PARTICLES:
            return True
        k -= 1
    return False


def _left_out_ancestor(l: NameForm, j: int, used_l: list[bool]) -> bool:  # noqa: E741
    """Whether list token ``j`` is a name of the nasab chain left out after the names of
    the chain the query met: a father's name met, no name of the chain after ``j`` met."""
    if not _after_nasab(l, j):
        return False
    met = [k for k, r in enumerate(l.roles) if used_l[k] and r == NAME and _after_nasab(l, k)]
    return bool(met) and max(met) < j


def _nasab_chain(q: NameForm, pairs: list[Pair], l: NameForm) -> tuple[int, int, bool] | None:  # noqa: E741
    """An abjad person name is often a chain of given, father's and grandfather's names and
    a family name ("X bin Y Z Al W"), of which the lists keep two or three. Returns the
    first and last matched query positions, and whether the names after the last one are
    left out of a chain too: the query's matched names start at its given name, meet the
    list name in the same order, and are three names or an explicit "X bin Y". ``pairs``:
    the pairs of name tokens (a particle met by a particle anchors nothing). A list name
    written family name first ("BARICH, Mohammad Naim") is met in its natural order, the
    family name last."""
    leading = l.family if l.family and min(l.family) == 0 else frozenset()
    matched = sorted((min(p.q), min(p.l) + (len(l.tokens) if min(p.l) in leading else 0)) for p in pairs)
    if any(a[1] > b[1] for a, b in zip(matched, matched[1:], strict=False)):
        return None  # names met out of order: another arrangement (a father for a son)
    first, last = matched[0][0], max(max(p.q) for p in pairs)
    core = [i for i, r in enumerate(q.roles) if r in (NAME, INITIAL)]
    trailing = False
    if core and first <= core[0]:
        names = len(pairs)
        linked = any(
            q.tokens[k] in NASAB_PARTICLES and q.roles[k] == PARTICLE and k - 1 >= first
            for k in range(first + 1, last)
        )
        trailing = names >= 3 or linked
    return first, last, trailing


def _finish(
    q: NameForm,
    qw: Weights,
    l: NameForm,  # noqa: E741
    lw: Weights,
    pairs: list[Pair],
    used_q: list[bool],
    used_l: list[bool],
    cut_from: int,
    truncated: bool,
    floor: float = 0.0,
) -> NameScore:
    """The score of an alignment. ``floor``: as for ``score_names``; the penalties only
    lower a score, so a name whose coverages alone fall short of it stops there."""
    qr, lr = q.roles, l.roles
    num_q = den_q = num_l = den_l = 0.0
    for p in pairs:
        wq = qw[p.q[0]] if len(p.q) == 1 else sum(qw[i] for i in p.q)
        wl = lw[p.l[0]] if len(p.l) == 1 else sum(lw[j] for j in p.l)
        if p.how == "initial":
            if qr[p.q[0]] == INITIAL and lr[p.l[0]] != INITIAL:
                num_q += wq
                num_l += INITIAL_SHARE * wl
            elif lr[p.l[0]] == INITIAL and qr[p.q[0]] != INITIAL:
                num_q += INITIAL_SHARE * wq
                num_l += wl
            else:
                num_q += wq
                num_l += wl
        else:
            num_q += p.sim * wq
            num_l += p.sim * wl
        den_q += wq
        den_l += wl
    unmatched_q = [i for i, u in enumerate(used_q) if not u and qr[i] not in OPTIONAL_ROLES]
    unmatched_l = [
        j for j, u in enumerate(used_l) if not u and lr[j] not in OPTIONAL_ROLES and j < cut_from
    ]
    if unmatched_l and unmatched_l[0] == 0 and _burmese_honorific(q, l):
        unmatched_l = unmatched_l[1:]  # "U Thant", "Oo Thein Sein": Mr
    if q.state != l.state:
        # A state one name ends by naming and the other leaves out costs nothing where the
        # other name is the rest of it, word for word ("Defense Industries Organization of
        # the Islamic Republic of Iran", DEFENSE INDUSTRIES ORGANIZATION); else its words
        # count as words of the name ("Central Bank of Venezuela" is no CENTRAL REPUBLIC BANK).
        # (Two states, two bodies: the penalty below.)
        if q.state and not l.state and unmatched_l:
            unmatched_q += [i for i, u in enumerate(used_q) if not u and qr[i] == STATE]
        if l.state and not q.state and unmatched_q:
            unmatched_l += [j for j, u in enumerate(used_l) if not u and lr[j] == STATE and j < cut_from]
    cut_l = [j for j in range(cut_from, len(l.tokens))]
    chain = None
    if q.person and q.xkeys:
        named = [p for p in pairs if any(qr[i] in (NAME, INITIAL) for i in p.q)]
        chain = _nasab_chain(q, named, l) if named else None
    if unmatched_q:
        patronymic_free = q.person and not holds_patronymic(l.keys)
        den_q += _unmatched_cost(q, qw, unmatched_q, chain, patronymic_free)
    if floor > 0 and (den_q <= 0 or (num_q / den_q) ** Q_EXP < floor):
        return NameScore(0.0)
    interior: tuple[int, int] = (-1, -1)
    half_words: set[int] = set()
    if l.person and pairs:
        matched = [j for p in pairs for j in p.l]
        interior = (min(matched), max(matched))
        if l.words:  # (a particle met, the al of Abd-al-Majid, leaves its word unmatched)
            half_words = {l.words[j] for j in matched if lr[j] not in OPTIONAL_ROLES}
    # A Chinese or Korean name written in its script has no middle names: a syllable left out
    # makes another given name (魏雪 Wei Xue is not Wei Hsueh Yuan), so it costs its full
    # weight and a penalty. (Burmese names are left alone: the lists write honorifics, Daw
    # and U or Oo, as name words.) A list word that spells no such syllable (Gabriel,
    # Viktorovich) is the middle name of a foreign name written in characters or Hangul.
    syllabic = _syllabic(q)
    left_syllables = [j for j in unmatched_l if syllabic and _may_spell_syllables(l.tokens[j])]
    middle_words: dict[int, float] = {}  # word -> its heaviest token, of a middle name left out
    for j in unmatched_l:
        # Middle names left out (whole words between matched words of a person name) cost
        # less; the other half of a hyphenated name ("Song-Chol") does not.
        middle = j not in left_syllables and interior[0] < j < interior[1] and not (l.words and l.words[j] in half_words)
        if middle and chain is not None and _left_out_ancestor(l, j, used_l):
            # The end of a nasab chain ("Imed Ben Mekki Ben Al-Akhdar Zarkaoui" against "Imed
            # bin Mekki Zarkaoui"): a shorter chain names the same person, as on the query
            # side. A father left out before a grandfather met is another person (Sultan bin
            # Salman bin Abdulaziz is not Sultan bin Abdulaziz).
            den_l += lw[j] * NASAB_SHARE
            continue
        if middle and l.words:
            middle_words[l.words[j]] = max(middle_words.get(l.words[j], 0.0), lw[j])
        else:
            den_l += lw[j] * (MIDDLE_SHARE if middle else 1.0)
    # A hyphenated middle name left out whole (Abd-al-Majid, Jean-Pierre) is one name: it
    # costs as its heaviest part, not as the sum of its parts.
    den_l += MIDDLE_SHARE * sum(middle_words.values())
    cov_q = num_q / den_q if den_q > 0 else 0.0
    cov_l = num_l / den_l if den_l > 0 else 0.0
    if floor > 0 and (cov_q**Q_EXP) * (cov_l**L_EXP) < floor:
        return NameScore(0.0)
    penalties: list[tuple[str, float]] = []
    # Numbers: "PEARL BAY 8" is not "PEARL BAY 9".
    q_nums = [i for i in unmatched_q if qr[i] == NUMBER]
    l_nums = [j for j in unmatched_l if lr[j] == NUMBER]
    if q_nums and l_nums:
        penalties.append(("number_conflict", F_NUMBER_CONFLICT))
    elif (q_nums and NUMBER not in lr) or (l_nums and NUMBER not in qr):
        # "PACIFIC GRACE" against "PACIFIC GRACE 2": a sister ship, or another company.
        penalties.append(("number_missing", F_NUMBER_MISSING))
    if q.state and l.state and q.state != l.state:
        penalties.append(("state_conflict", F_STATE_CONFLICT))
    if _syllable_order_differs(q, l, pairs):
        penalties.append(("order", F_ORDER))
    if _nasab_conflict(q, l, pairs):
        penalties.append(("nasab_conflict", F_NASAB_CONFLICT))
    # (and a syllable of the query's that a Latin list name lacks: 박서준 is not Pak Chun;
    # not a middle name of a foreign name the query writes in Hangul or characters)
    if syllabic and (
        any(lr[j] == NAME for j in left_syllables)
        or (not _syllabic(l) and _unmatched_syllable(q, unmatched_q))
    ):
        penalties.append(("syllable_missing", F_SYLLABLE_MISSING))
    q_init = [i for i in unmatched_q if qr[i] == INITIAL]
    l_init = [j for j in unmatched_l if lr[j] == INITIAL]
    if (q_init and any(lr[j] in (NAME, INITIAL) for j in unmatched_l)) or (
        l_init and any(qr[i] in (NAME, INITIAL) for i in unmatched_q)
    ):
        penalties.append(("initial_conflict", F_INITIAL_CONFLICT))
    elif any(qr[i] == NAME for i in unmatched_q) and any(lr[j] == NAME for j in unmatched_l):
        penalties.append(("both_unmatched", F_BOTH_UNMATCHED))
    if unmatched_l:
        distinct = sum(
            (0.5 if p.how == "initial" else 1.0)
            for p in pairs
            if any(qr[i] in (NAME, NUMBER, INITIAL) for i in p.q)
        )
        if distinct < 1.5:
            penalties.append(("single_token", F_SINGLE_TOKEN))
        core = [j for j in range(min(cut_from, len(lr))) if lr[j] in (NAME, NUMBER, INITIAL)]
        words = l.words or tuple(range(len(lr)))
        if len(core) >= 2 and words[core[0]] != words[core[-1]]:
            # The first or the last written word of the list name is missing altogether
            # (a hyphenated given name "Song-Chol" is one word).
            unmatched = set(unmatched_l)
            for edge in (words[core[0]], words[core[-1]]):
                members = [j for j in core if words[j] == edge]
                if all(j in unmatched for j in members) and not any(
                    is_patronymic(l.tokens[j]) for j in members
                ) and any(lr[j] == NAME for j in members):
                    if edge == words[core[-1]] and _family_after_nasab(q, l, members[0], used_l, pairs):
                        continue
                    penalties.append(("edge_missing", F_EDGE_MISSING))
                    break
    q_legal = set(q.legal) - GENERIC_LEGAL
    l_legal = set(l.legal) - GENERIC_LEGAL
    if q_legal and l_legal and not q_legal & l_legal:
        penalties.append(("legal_form_conflict", F_LEGAL_CONFLICT))
    if truncated:
        penalties.append(("truncated", F_TRUNCATED))
        if all(l.roles[j] in OPTIONAL_ROLES for j in range(cut_from)):
            penalties.append(("cut_within_legal_form", F_CUT_LEGAL_FORM))
    score = (cov_q**Q_EXP) * (cov_l**L_EXP) if cov_q > 0 and cov_l > 0 else 0.0
    for _what, factor in penalties:
        score *= factor
    return NameScore(
        score=score,
        cov_q=cov_q,
        cov_l=cov_l,
        pairs=pairs,
        unmatched_q=unmatched_q,
        unmatched_l=unmatched_l,
        cut_l=cut_l,
        penalties=penalties,
    )


def _shown(form: NameForm, i: int) -> str:
    """Token ``i`` as an explanation shows it: a word of a script nothing reads as written,
    not as the token that stands for it."""
    token = form.tokens[i]
    return form.native[i] if is_unread(token) and form.native and form.native[i] else token


def describe(q: NameForm, l: NameForm, ns: NameScore) -> dict[str, object]:  # noqa: E741
    """The alignment as JSON-serialisable data (for explanations)."""
    tokens = []
    for p in sorted(ns.pairs, key=lambda p: p.q[0]):
        tokens.append(
            {
                "query": " ".join(_shown(q, i) for i in p.q),
                "list": " ".join(_shown(l, j) for j in p.l),
                "how": p.how,
                "sim": round(p.sim, 3),
            }
        )
    out: dict[str, object] = {
        "tokens": tokens,
        "unmatched_query": [_shown(q, i) for i in ns.unmatched_q],
        "unmatched_list": [_shown(l, j) for j in ns.unmatched_l],
        "coverage_query": round(ns.cov_q, 3),
        "coverage_list": round(ns.cov_l, 3),
    }
    ignored_q = [
        f"{q.tokens[i]} ({ROLE_NAMES[q.roles[i]]})"
        for i in range(len(q.tokens))
        if q.roles[i] in OPTIONAL_ROLES and not any(i in p.q for p in ns.pairs)
    ]
    ignored_l = [
        f"{l.tokens[j]} ({ROLE_NAMES[l.roles[j]]})"
        for j in range(len(l.tokens))
        if l.roles[j] in OPTIONAL_ROLES and not any(j in p.l for p in ns.pairs)
    ]
    if ignored_q:
        out["ignored_query"] = ignored_q
    if ignored_l:
        out["ignored_list"] = ignored_l
    if q.legal or l.legal:
        out["legal_form"] = {
            "query": list(q.legal),
            "list": list(l.legal),
            "agree": bool(set(q.legal) & set(l.legal)) if q.legal and l.legal else None,
        }
    if ns.cut_l:
        out["truncated_after"] = " ".join(l.tokens[: ns.cut_l[0]])
    if ns.penalties:
        out["penalties"] = [{"what": w, "factor": f} for w, f in ns.penalties]
    return out


__all__ = [
    "NAME",
    "NameScore",
    "Pair",
    "can_truncate",
    "describe",
    "national_key_sim",
    "score_names",
    "token_sim",
]
