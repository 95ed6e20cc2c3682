"""Alerts on clean names in many scripts: a probe for coincidental cross-script matches.

Generates person and company names with Faker in 25 locales (Arabic, Persian, Hebrew,
Korean, Japanese, Chinese, Greek, Thai, Russian, Ukrainian, Armenian, Georgian, Bengali,
Hindi, Marathi, Nepali, Gujarati, Oriya, Tamil, Sinhala, Bulgarian, Macedonian), screens each against the four dev-suite lists at the default threshold, and prints
the alerts per locale (``--show`` lists them). Faker draws from real name lists, so some
alerts are genuine namesakes of listed people (common Korean names such as Kim Yong Su):
read the list, do not only count it. Not part of ``make bench`` (Faker is not a dependency):

    pip install faker && python bench/probe_clean_scripts.py [--per-locale 300] [--show] [--latin]

``--latin`` takes 21 locales written in Latin letters instead (German, Polish, Dutch, Czech,
Turkish, Azerbaijani ...), whose spellings the other languages' readings of section 1a
(national.py) must not turn into listed names.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

import eval_dev

LOCALES = ["ar_AA", "ar_SA", "ar_EG", "fa_IR", "he_IL", "ko_KR", "ja_JP", "zh_CN", "zh_TW", "el_GR", "th_TH",
           "ru_RU", "uk_UA", "hy_AM", "ka_GE", "bn_BD", "hi_IN", "mr_IN", "ne_NP", "gu_IN", "or_IN", "ta_IN",
           "si_LK", "bg_BG", "mk_MK"]
# ``--latin``: the languages written in Latin letters whose spellings the other languages'
# romanisations and the letters of a caron or cedilla are read by (national.py), and
# English, Spanish, Italian, Portuguese, Hungarian and Finnish beside them.
LATIN_LOCALES = ["de_DE", "de_AT", "pl_PL", "nl_NL", "cs_CZ", "sk_SK", "sv_SE", "da_DK", "no_NO", "fr_FR", "en_US",
                 "en_GB", "es_ES", "it_IT", "tr_TR", "az_AZ", "ro_RO", "hr_HR", "hu_HU", "fi_FI", "pt_BR"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-locale", type=int, default=300, help="person names per locale (and a fifth as many companies)")
    parser.add_argument("--show", action="store_true", help="print every alert")
    parser.add_argument("--latin", action="store_true", help="names of languages written in Latin letters instead")
    args = parser.parse_args()
    try:
        from faker import Faker
    except ImportError:
        print("skipped: faker is not installed (pip install faker)")
        return 0
    from tradeguard.matching import Matcher, Query

    matcher = Matcher(eval_dev.load_entities())
    alerts: Counter[str] = Counter()
    total: Counter[str] = Counter()
    shown: list[str] = []
    locales = LATIN_LOCALES if args.latin else LOCALES
    for locale in locales:
        fake = Faker(locale)
        fake.seed_instance(11)
        names = [(fake.name(), "Person") for _ in range(args.per_locale)]
        names += [(fake.company(), "Company") for _ in range(args.per_locale // 5)]
        for name, schema in names:
            total[locale] += 1
            found = matcher.match(Query(name, schema), limit=1)
            if found:
                alerts[locale] += 1
                shown.append(f"{locale} {name!r} -> {found[0].matched_name!r} {found[0].score:.3f}")
    print_alerts(locales, alerts, total, shown if args.show else [])
    return 0


def print_alerts(groups: list[str], alerts: Counter[str], total: Counter[str], shown: list[str]) -> None:
    """The alerts per group of names and in all, then each alert of ``shown``."""
    width = max(len(g) for g in groups)
    for group in groups:
        print(f"{group:{width}} {alerts[group]:4} / {total[group]}")
    print(f"{'all':{width}} {sum(alerts.values()):4} / {sum(total.values())} alerts at the default threshold")
    if shown:
        print("\n".join(shown))


if __name__ == "__main__":
    sys.exit(main())
