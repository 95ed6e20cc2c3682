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
joined            0.97-0.85   one token equals two adjacent tokens of the other name
truncated         0.90        the query's last token starts a list token, and the query is
                              long enough to have been cut by a field limit
typo              0.70-0.90   edit distance (with transpositions) 1 on tokens of 4-7
                              letters, 2 from 8 letters; 0.15 less if the first letter differs
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

from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from tradeguard.matching.normalize import (
    INITIAL,
    LEGAL,
    NAME,
    NUMBER,
    OPTIONAL_ROLES,
    PARTICLE,
    ROLE_NAMES,
    NameForm,
    is_patronymic,
    skeleton,
)

SIM_EXACT = 1.0
SIM_TRANSLIT = 0.95
SIM_TRANSLIT_SHORT = 0.88  # same skeleton, 3 letters or fewer ("yan"/"ian")
SIM_JOINED_EXACT = 0.97
SIM_JOINED = 0.92
SIM_JOINED_TYPO = 0.85
SIM_TRUNCATED = 0.9
MIN_PAIR_SIM = 0.7  # weaker token pairs are not aligned at all

# Weighted-coverage exponents: the query's coverage matters more than the list name's.
Q_EXP = 1.0
L_EXP = 0.35

W_INITIAL = 0.3  # weight of a single-letter token
MIDDLE_SHARE = 0.5  # weight of a list person's middle name that the query leaves out
INITIAL_SHARE = 0.75  # how much of a full token an initial explains

# Penalty factors.
F_NUMBER_CONFLICT = 0.55  # "Snow Storm 1" vs "Snow Storm 2"
F_INITIAL_CONFLICT = 0.8  # an initial that fits no token of the other name
F_BOTH_UNMATCHED = 0.88  # each name has a distinctive token the other lacks
F_LEGAL_CONFLICT = 0.95  # legal forms of different classes (LLC vs JSC)
F_SINGLE_TOKEN = 0.85  # one distinctive token in common, and the list name has more
F_EDGE_MISSING = 0.9  # the query lacks the list name's first or last word (not a patronymic)
F_TRUNCATED = 0.97  # the list name was compared as cut at the query's length
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


def _max_distance(length: int) -> int:
    if length < 4:
        return 0
    if length < 8:
        return 1
    return 2


_SIM_CACHE: dict[tuple[str, str], tuple[float, str]] = {}


def token_sim(a: str, ka: str, b: str, kb: str) -> tuple[float, str]:
    """Similarity of two normalised tokens (with their skeleton keys) and how they agree."""
    if a == b:
        return SIM_EXACT, "exact"
    if ka == kb:
        if ka[0] == "~":
            return SIM_TRANSLIT, "variant"
        return (SIM_TRANSLIT if len(ka) > 3 else SIM_TRANSLIT_SHORT), "transliteration"
    cache_key = (a, b)
    hit = _SIM_CACHE.get(cache_key)
    if hit is not None:
        return hit
    result = _fuzzy_sim(a, ka, b, kb)
    if len(_SIM_CACHE) > 500_000:
        _SIM_CACHE.clear()
    _SIM_CACHE[cache_key] = result
    return result


def _surname_vs_patronymic(a: str, b: str) -> bool:
    return a.endswith(("ovna", "evna")) and b.endswith(("ova", "eva")) and a[:-4] == b[:-3]


def _fuzzy_sim(a: str, ka: str, b: str, kb: str) -> tuple[float, str]:
    if a.isdigit() or b.isdigit():
        return 0.0, ""
    if _surname_vs_patronymic(a, b) or _surname_vs_patronymic(b, a):
        return 0.0, ""  # "Ivanova" (a surname) is not a misspelt "Ivanovna" (a patronymic)
    x = ka[1:] if ka[0] == "~" else ka
    y = kb[1:] if kb[0] == "~" else kb
    best = 0.0
    for s, t in ((x, y), (a, b)):
        length = max(len(s), len(t))
        maxd = _max_distance(length)
        if maxd == 0 or abs(len(s) - len(t)) > maxd:
            continue
        dist = OSA.distance(s, t, score_cutoff=maxd)
        if dist <= maxd:
            best = max(best, _typo_sim(length, dist, s[0] != t[0]))
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
    qw: list[float] | tuple[float, ...],
    l: NameForm,  # noqa: E741
    lw: list[float] | tuple[float, ...],
) -> NameScore:
    """Align ``q`` (query) with ``l`` (list name); weights per token from the index."""
    qt, qk, qr = q.tokens, q.keys, q.roles
    lt, lk, lr = l.tokens, l.keys, l.roles
    nq, nl = len(qt), len(lt)
    family = family_positions(l) if l.person else frozenset()
    cands: list[tuple[float, float, tuple[int, ...], tuple[int, ...], float, str]] = []
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
            sim, how = token_sim(ti, ki, tj, lk[j])
            if sim >= MIN_PAIR_SIM:
                cands.append((sim, qw[i] + lw[j], (i,), (j,), sim, how))
    # Two adjacent tokens on one side written as one on the other ("abdul rahman").
    if nl > 1:
        _joined_candidates(qt, qk, qr, lt, lr, qw, lw, cands, query_joined=True)
    if nq > 1:
        _joined_candidates(lt, lk, lr, qt, qr, lw, qw, cands, query_joined=False)
    pairs: list[Pair] = []
    used_q = [False] * nq
    used_l = [False] * nl
    if cands:
        cands.sort(key=lambda c: (-c[0], -c[1]))
        for _prio, _w, qi, lj, sim, how in cands:
            if any(used_q[i] for i in qi) or any(used_l[j] for j in lj):
                continue
            for i in qi:
                used_q[i] = True
            for j in lj:
                used_l[j] = True
            pairs.append(Pair(qi, lj, sim, how))
    if INITIAL in qr:
        _align_initials(q, l, family, used_q, used_l, pairs)
    truncated = False
    cut_from = nl
    if can_truncate(q, l):
        cut_from, truncated = _truncation(q, l, used_q, used_l, pairs)
    return _finish(q, qw, l, lw, pairs, used_q, used_l, cut_from, truncated)


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
    aw: list[float] | tuple[float, ...],
    bw: list[float] | tuple[float, ...],
    cands: list[tuple[float, float, tuple[int, ...], tuple[int, ...], float, str]],
    query_joined: bool,
) -> None:
    """Candidates where one token of side a equals two adjacent tokens of side b."""
    nb = len(bt)
    for i, tok in enumerate(at):
        if len(tok) < 4 or ar[i] in (INITIAL, LEGAL, NUMBER):
            continue
        first = tok[0]
        size = len(tok)
        for j in range(nb - 1):
            b1, b2 = bt[j], bt[j + 1]
            if b1[0] != first or abs(len(b1) + len(b2) - size) > 2 or br[j] == INITIAL or br[j + 1] == INITIAL:
                continue
            joined = b1 + b2
            if joined == tok:
                sim = SIM_JOINED_EXACT
            else:
                jkey = skeleton(joined)
                if jkey == ak[i]:
                    sim = SIM_JOINED
                elif size >= 6 and OSA.distance(jkey, ak[i], score_cutoff=1) <= 1:
                    sim = SIM_JOINED_TYPO
                else:
                    continue
            weight = aw[i] + bw[j] + bw[j + 1]
            if query_joined:
                cands.append((sim, weight, (i,), (j, j + 1), sim, "joined"))
            else:
                cands.append((sim, weight, (j, j + 1), (i,), sim, "joined"))


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


def _finish(
    q: NameForm,
    qw: list[float] | tuple[float, ...],
    l: NameForm,  # noqa: E741
    lw: list[float] | tuple[float, ...],
    pairs: list[Pair],
    used_q: list[bool],
    used_l: list[bool],
    cut_from: int,
    truncated: bool,
) -> NameScore:
    qr, lr = q.roles, l.roles
    num_q = den_q = num_l = den_l = 0.0
    for p in pairs:
        wq = sum(qw[i] for i in p.q)
        wl = sum(lw[j] for j in p.l)
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
    cut_l = [j for j in range(cut_from, len(l.tokens))]
    for i in unmatched_q:
        den_q += qw[i]
    interior: tuple[int, int] = (-1, -1)
    half_words: set[int] = set()
    if l.person and pairs:
        matched = [j for p in pairs for j in p.l]
        interior = (min(matched), max(matched))
        if l.words:
            half_words = {l.words[j] for j in matched}
    for j in unmatched_l:
        # Middle names left out (whole words between matched words of a person name) cost
        # less; the other half of a hyphenated name ("Song-Chol") does not.
        middle = interior[0] < j < interior[1] and not (l.words and l.words[j] in half_words)
        den_l += lw[j] * (MIDDLE_SHARE if middle else 1.0)
    cov_q = num_q / den_q if den_q > 0 else 0.0
    cov_l = num_l / den_l if den_l > 0 else 0.0
    penalties: list[tuple[str, float]] = []
    # Numbers: "PEARL BAY 8" is not "PEARL BAY 9".
    q_nums = [i for i in unmatched_q if qr[i] == NUMBER]
    l_nums = [j for j in unmatched_l if lr[j] == NUMBER]
    if q_nums and l_nums:
        penalties.append(("number_conflict", F_NUMBER_CONFLICT))
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
                    penalties.append(("edge_missing", F_EDGE_MISSING))
                    break
    q_legal = set(q.legal) - GENERIC_LEGAL
    l_legal = set(l.legal) - GENERIC_LEGAL
    if q_legal and l_legal and not q_legal & l_legal:
        penalties.append(("legal_form_conflict", F_LEGAL_CONFLICT))
    if truncated:
        penalties.append(("truncated", F_TRUNCATED))
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


def describe(q: NameForm, l: NameForm, ns: NameScore) -> dict[str, object]:  # noqa: E741
    """The alignment as JSON-serialisable data (for explanations)."""
    tokens = []
    for p in sorted(ns.pairs, key=lambda p: p.q[0]):
        tokens.append(
            {
                "query": " ".join(q.tokens[i] for i in p.q),
                "list": " ".join(l.tokens[j] for j in p.l),
                "how": p.how,
                "sim": round(p.sim, 3),
            }
        )
    out: dict[str, object] = {
        "tokens": tokens,
        "unmatched_query": [q.tokens[i] for i in ns.unmatched_q],
        "unmatched_list": [l.tokens[j] for j in ns.unmatched_l],
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
    "score_names",
    "token_sim",
]
