"""Port resolution (UN/LOCODE and names in Latin and native scripts), route checks
(sanctioned ports, Caspian Iran-Russia route, transshipment hubs, unknown ports), flags of
convenience, user files, and the consistency of ports.yml with destinations.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.helpers import assert_refused
from tradeguard.screening.destinations import DestinationRules
from tradeguard.screening.goods import Finding
from tradeguard.screening.ports import (
    ROLES,
    PortDirectory,
    PortRules,
    RouteScreen,
    check_route,
    flag_findings,
    name_key,
)
from tradeguard.sources.base import SourceError

DATA = Path(__file__).resolve().parents[2] / "src/tradeguard/screening/data"


@pytest.fixture(scope="module")
def screen() -> RouteScreen:
    return RouteScreen.load()


@pytest.fixture(scope="module")
def ports(screen: RouteScreen) -> PortDirectory:
    return screen.ports


def rules_of(findings: tuple[Finding, ...] | list[Finding]) -> list[tuple[str, str, str | None]]:
    return [(f.rule, f.severity, f.subject) for f in findings]


# --- the data files ------------------------------------------------------------------------------


def test_files_load_with_safe_load_and_name_their_sources() -> None:
    for name in ("ports.yml", "port_rules.yml"):
        text = (DATA / name).read_text(encoding="utf-8")
        assert isinstance(yaml.safe_load(text), dict)
    header = (DATA / "ports.yml").read_text(encoding="utf-8").split("\nversion:")[0]
    assert "sea-ports" in header and "MIT" in header and "UN/LOCODE" in header
    rules = yaml.safe_load((DATA / "port_rules.yml").read_text(encoding="utf-8"))
    for section in ("sanctioned_port", "caspian_route", "transshipment_hub", "unknown_port"):
        assert rules[section]["source"], section
    assert all(g["source"] for g in rules["flags_of_convenience"]["groups"])


def test_directory_size(ports: PortDirectory) -> None:
    assert len(ports) > 1600
    assert sum(len(p.names) for p in ports.ports) > 2000
    assert "ports.yml" in ports.source


def test_ports_agree_with_destinations(ports: PortDirectory, screen: RouteScreen) -> None:
    dest = screen.destinations
    for port in ports.ports:
        assert len(port.country) == 2
        if port.area:
            assert port.area in dest.areas and port.area.startswith(port.country + "-"), port
            continue
        # A port whose name is an occupied place of its own country must say so.
        for name in port.names:
            for match in dest.find_places(name):
                assert not ("-" in match.area.code and port.country in match.area.countries), (port, name)
        if port.caspian:
            assert port.country in {"ir", "ru", "kz", "az", "tm"}
        if port.hub and not port.hub_source:
            assert port.country in dest.transshipment, port


# --- resolving ports -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "locode"),
    [
        ("IRBND", "IRBND"),
        ("IR BND", "IRBND"),
        ("ir-bnd", "IRBND"),
        ("irbnd", "IRBND"),
        ("Bandar Abbas (IRBND)", "IRBND"),
        ("IRBND - Bandar Abbas", "IRBND"),
        ("IRBND BANDAR ABBAS", "IRBND"),
        ("SYLTK", "SYLTK"),
        ("UASVP", "UASVP"),
        ("AE JEA", "AEJEA"),
    ],
)
def test_locodes(ports: PortDirectory, text: str, locode: str) -> None:
    port = ports.resolve(text)
    assert port is not None and port.locode == locode and port.listed
    assert port.country == locode[:2].lower()


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # Iranian Caspian ports, Latin spellings and Persian
        ("Amirabad", "Amirabad", "ir"),
        ("بندر امیرآباد", "Amirabad", "ir"),
        ("Bandar Anzali", "Bandar Anzali", "ir"),
        ("Bandar-e Anzali", "Bandar Anzali", "ir"),
        ("BANDAR E ANZALI", "Bandar Anzali", "ir"),
        ("Anzali", "Bandar Anzali", "ir"),
        ("بندر انزلی", "Bandar Anzali", "ir"),
        ("بندر انزلي", "Bandar Anzali", "ir"),  # Arabic yeh
        ("Nowshahr", "Nowshahr", "ir"),
        ("Noshahr", "Nowshahr", "ir"),
        ("نوشهر", "Nowshahr", "ir"),
        ("Astara", "Astara", "ir"),
        ("Fereydoonkenar", "Fereydunkenar", "ir"),
        # Russian Caspian ports, Latin and Cyrillic
        ("Astrakhan", "Astrakhan", "ru"),
        ("Астрахань", "Astrakhan", "ru"),
        ("Olya", "Olya", "ru"),
        ("Оля", "Olya", "ru"),
        ("Махачкала", "Makhachkala", "ru"),
        ("Kaspiysk", "Kaspiysk", "ru"),
        ("Derbent", "Derbent", "ru"),
        # other Iranian ports
        ("Bandar-e Abbas", "Bandar Abbas", "ir"),
        ("Shahid Rajaee", "Bandar Abbas", "ir"),
        ("بندرعباس", "Bandar Abbas", "ir"),
        ("Chah Bahar", "Chabahar", "ir"),
        ("Bandar Imam Khomeini", "Bandar Imam Khomeini", "ir"),
        ("Bushehr", "Bushehr", "ir"),
        ("Khorramshahr", "Khorramshahr", "ir"),
        # Crimea and the occupied Azov coast
        ("Sevastopol", "Sevastopol", "ua"),
        ("Севастополь", "Sevastopol", "ua"),
        ("Kerch", "Kerch", "ua"),
        ("Керчь", "Kerch", "ua"),
        ("Feodosiya", "Feodosia", "ua"),
        ("Феодосия", "Feodosia", "ua"),
        ("Ялта", "Yalta", "ua"),
        ("Yevpatoria", "Yevpatoria", "ua"),
        ("Mariupol", "Mariupol", "ua"),
        ("Berdyansk", "Berdiansk", "ua"),
        # North Korea, Syria
        ("Nampo", "Nampo", "kp"),
        ("남포", "Nampo", "kp"),
        ("Ch'ŏngjin", "Chongjin", "kp"),
        ("Rason", "Rajin", "kp"),
        ("Wonsan", "Wonsan", "kp"),
        ("Hungnam", "Hungnam", "kp"),
        ("Songrim", "Songrim", "kp"),
        ("Lattakia", "Latakia", "sy"),
        ("اللاذقية", "Latakia", "sy"),
        ("Tartous", "Tartus", "sy"),
        ("Baniyas", "Baniyas", "sy"),
        # Russian main ports
        ("Новороссийск", "Novorossiysk", "ru"),
        ("St. Petersburg", "Saint Petersburg", "ru"),
        ("Санкт-Петербург", "Saint Petersburg", "ru"),
        ("Ust-Luga", "Ust-Luga", "ru"),
        ("UST LUGA", "Ust-Luga", "ru"),
        ("Primorsk", "Primorsk", "ru"),
        ("Владивосток", "Vladivostok", "ru"),
        # transshipment hubs
        ("Jebel Ali", "Jebel Ali", "ae"),
        ("Khorfakkan", "Khor Fakkan", "ae"),
        ("Sharjah", "Sharjah", "ae"),
        ("Mersin", "Mersin", "tr"),
        ("İstanbul", "Istanbul", "tr"),
        ("Ambarlı", "Ambarli", "tr"),
        ("Hong Kong", "Hong Kong", "hk"),
        ("香港", "Hong Kong", "hk"),
        ("Poti", "Poti", "ge"),
        ("Batumi", "Batumi", "ge"),
        ("Aktau", "Aktau", "kz"),
        ("Құрық", "Kuryk", "kz"),
        ("Türkmenbaşy", "Turkmenbashi", "tm"),
        ("Baku", "Baku", "az"),
        ("Ələt", "Alat", "az"),
        # from the sea-ports dataset
        ("Rotterdam", "Rotterdam", "nl"),
        ("Nhava Sheva", "Jawaharlal Nehru", "in"),
    ],
)
def test_names(ports: PortDirectory, text: str, name: str, country: str) -> None:
    port = ports.resolve(text)
    assert port is not None, text
    assert (port.name, port.country, port.listed) == (name, country, True)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Port of Bandar Abbas", "Bandar Abbas"),
        ("Bandar Abbas port", "Bandar Abbas"),
        ("Bandar Abbas, Iran", "Bandar Abbas"),
        ("Bandar Abbas, IR", "Bandar Abbas"),
        ("Olya (RU)", "Olya"),
        ("Port Olya", "Olya"),
        ("порт Оля", "Olya"),
        ("Makhachkala, Russian Federation", "Makhachkala"),
        ("  NOVOROSSIYSK SEA PORT ", "Novorossiysk"),
        ("Port of Jebel Ali, U.A.E.", "Jebel Ali"),
        ("Sevastopol, Russia", "Sevastopol"),  # occupied: the occupier's country is stated
    ],
)
def test_words_around_names(ports: PortDirectory, text: str, name: str) -> None:
    port = ports.resolve(text)
    assert port is not None and port.name == name and port.listed, text


def test_areas_flags(ports: PortDirectory) -> None:
    def port(text: str) -> tuple[str | None, bool, bool]:
        found = ports.resolve(text)
        assert found is not None
        return found.area, found.caspian, found.hub

    assert port("Sevastopol") == ("ua-cri", False, False)
    assert port("Mariupol") == ("ua-dpr", False, False)
    assert port("Berdiansk") == ("ua-23", False, False)
    assert port("Amirabad") == (None, True, False)
    assert port("Astrakhan") == (None, True, False)
    assert port("Aktau") == (None, True, True)
    assert port("Jebel Ali") == (None, False, True)
    assert port("Novorossiysk") == (None, False, False)


@pytest.mark.parametrize(("text", "country"), [("IRXYZ", "ir"), ("KP ABC", "kp"), ("ir-xyz", "ir"), ("RU-QQQ", "ru")])
def test_unlisted_locode_gives_its_country(ports: PortDirectory, text: str, country: str) -> None:
    port = ports.resolve(text)
    assert port is not None
    assert (port.country, port.listed, port.locode) == (country, False, text.replace(" ", "").replace("-", "").upper())
    assert "unlisted UN/LOCODE" in port.describe()


@pytest.mark.parametrize("text", ["PERTH", "Perth", "RUSSE", "irxyz", "Xanadu Harbour", "Moscow", "Iran", "", "   ", None])
def test_unknown_text(ports: PortDirectory, text: str | None) -> None:
    # Words are not read as codes; a bare place or country name is left to the destination checks.
    assert ports.resolve(text) is None


def test_stated_country_of_an_unknown_name(ports: PortDirectory) -> None:
    port = ports.resolve("Xanadu Harbour, Iran")
    assert port is not None and (port.country, port.listed, port.name) == ("ir", False, "Xanadu Harbour")
    # A name listed only in another country than the stated one is not that port.
    other = ports.resolve("Alexandria, US")
    assert other is not None and (other.country, other.listed) == ("us", False)
    egypt = ports.resolve("Alexandria, Egypt")
    assert egypt is not None and (egypt.country, egypt.listed) == ("eg", True)


def test_get_and_name_key(ports: PortDirectory) -> None:
    assert ports.get("ru vvo") is not None and ports.get("RUVVO").name == "Vladivostok"  # type: ignore[union-attr]
    assert ports.get("IRXYZ") is None and ports.get("Bandar Abbas") is None
    assert name_key("Bandar-e Anzali") == name_key("BANDAR E ANZALI") == "bandareanzali"


# --- route checks ----------------------------------------------------------------------------------


def test_crimea_blocks(screen: RouteScreen) -> None:
    result = screen.check([("port_of_loading", "Hamburg"), ("port_of_discharge", "Sevastopol")])
    [f] = result.findings
    assert (f.rule, f.severity, f.subject) == ("port.sanctioned", "block", "port_of_discharge")
    assert "'Sevastopol'" in f.detail and "port of discharge" in f.detail and "Crimea" in f.detail
    assert "ua-cri" in f.detail and "EO 13685" in f.source
    assert result.severity == "block" and result.unknown == ()
    assert [leg.port.name for leg in result.legs if leg.port] == ["Hamburg", "Sevastopol"]


@pytest.mark.parametrize(
    ("role", "text", "severity"),
    [
        ("transshipment", "Феодосия", "block"),
        ("place_of_receipt", "Kerch", "block"),
        ("port_of_discharge", "Latakia", "review"),  # Syria reviews, as destinations.yml says
        ("port_of_discharge", "Tartous", "review"),
        ("port_of_discharge", "Berdiansk", "block"),  # place-level block inside a review oblast
        ("port_of_discharge", "Kherson", "review"),  # government-controlled city: review
        ("port_of_discharge", "Mariupol", "block"),
        ("port_of_discharge", "Nampo", "block"),
        ("port_of_loading", "Bandar Abbas", "block"),
        ("place_of_delivery", "Novorossiysk", "block"),
        ("port_of_discharge", "St Petersburg", "block"),  # a port in Russia, not the Florida city
        ("port_of_discharge", "La Habana", "block"),
        ("port_of_discharge", "IRXYZ", "block"),  # unlisted LOCODE: its country
    ],
)
def test_sanctioned_ports(screen: RouteScreen, role: str, text: str, severity: str) -> None:
    result = screen.check([(role, text)])
    found = [f for f in result.findings if f.rule == "port.sanctioned"]
    assert [(f.severity, f.subject) for f in found] == [(severity, role)], result.findings


@pytest.mark.parametrize(
    "route",
    [
        [("port_of_loading", "Bandar Anzali"), ("port_of_discharge", "Astrakhan")],
        [("port_of_loading", "Astrakhan"), ("port_of_discharge", "Bandar Anzali")],
        [("port_of_loading", "Makhachkala"), ("transshipment", "Port Olya"), ("port_of_discharge", "Amirabad")],
        [("place_of_receipt", "بندر انزلی"), ("place_of_delivery", "Махачкала")],
        [("port_of_loading", "Nowshahr, Iran"), ("port_of_discharge", "Olya (RU)")],
    ],
)
def test_caspian_route_blocks_in_any_order(screen: RouteScreen, route: list[tuple[str, str]]) -> None:
    result = screen.check(route)
    [f] = [f for f in result.findings if f.rule == "port.caspian_route"]
    assert (f.severity, f.subject) == ("block", "route")
    assert "Iran (ir)" in f.detail and "Russia (ru)" in f.detail
    assert "Port Olya-3" in f.source and "UAV" in f.source


def test_no_caspian_finding_between_kazakhstan_and_azerbaijan(screen: RouteScreen) -> None:
    result = screen.check([("port_of_loading", "Aktau"), ("port_of_discharge", "Baku")])
    assert result.findings == () and result.unknown == ()
    one_side = screen.check([("port_of_loading", "Aktau"), ("port_of_discharge", "Astrakhan")])
    assert "port.caspian_route" not in [f.rule for f in one_side.findings]


def test_hub_only_with_high_priority_goods(screen: RouteScreen) -> None:
    route = [("port_of_loading", "Rotterdam"), ("port_of_discharge", "Jebel Ali")]
    assert screen.check(route, high_priority_goods=False).findings == ()
    [f] = screen.check(route, high_priority_goods=True).findings
    assert (f.rule, f.severity, f.subject) == ("port.transshipment_hub", "review", "port_of_discharge")
    assert "FIN-2022-Alert003" in f.source and "Jebel Ali (AEJEA)" in f.detail
    # Only ports of discharge and transshipment: loading at a hub is no diversion signal.
    assert screen.check([("port_of_loading", "Jebel Ali")], high_priority_goods=True).findings == ()
    [t] = screen.check([("transshipment", "Poti")], high_priority_goods=True).findings
    assert t.rule == "port.transshipment_hub" and t.subject == "transshipment"
    # A hub flagged by ports.yml itself cites its own reason.
    [b] = screen.check([("port_of_discharge", "Baku")], high_priority_goods=True).findings
    assert b.rule == "port.transshipment_hub" and "tradeguard judgement" in b.source
    # Any port in a transshipment-risk country of destinations.yml, hub flag or not.
    [c] = screen.check([("port_of_discharge", "Shanghai")], high_priority_goods=True).findings
    assert c.rule == "port.transshipment_hub"


def test_unknown_port_is_a_separate_data_finding(screen: RouteScreen) -> None:
    result = screen.check([("port_of_loading", "Xanadu Harbour"), ("port_of_discharge", "Rotterdam")])
    assert result.findings == ()
    [u] = result.unknown
    assert (u.rule, u.severity, u.subject) == ("port.unknown", "review", "port_of_loading")
    assert "not recognised" in u.detail and "'Xanadu Harbour'" in u.detail
    assert result.legs[0].port is None and result.legs[1].port is not None


def test_port_known_only_by_its_country(screen: RouteScreen) -> None:
    result = screen.check([("port_of_discharge", "Xanadu Harbour, Iran"), ("transshipment", "KPQQQ")])
    assert rules_of(result.findings) == [
        ("port.sanctioned", "block", "port_of_discharge"), ("port.sanctioned", "block", "transshipment"),
    ]
    assert rules_of(result.unknown) == [
        ("port.unknown", "review", "port_of_discharge"), ("port.unknown", "review", "transshipment"),
    ]
    assert "Iran (ir)" in result.unknown[0].detail and "North Korea (kp)" in result.unknown[1].detail


def test_unrecognised_text_still_checked_for_sanctioned_places(screen: RouteScreen) -> None:
    # An inland place of delivery is no port, but destinations.yml knows the place.
    result = screen.check([("place_of_delivery", "Tehran")])
    assert rules_of(result.findings) == [("destination.sanctioned_place", "block", "place_of_delivery")]
    assert rules_of(result.unknown) == [("port.unknown", "review", "place_of_delivery")]


def test_route_roles_and_evidence(screen: RouteScreen) -> None:
    with pytest.raises(ValueError, match="unknown route role 'port'"):
        screen.check([("port", "Hamburg")])
    result = screen.check([(role, None) for role in ROLES] + [("port_of_discharge", "Sevastopol")])
    assert len(result.legs) == 1  # empty places are skipped
    leg = result.legs[0].to_dict()
    assert leg["port"]["locode"] == "UASVP" and leg["port"]["area"] == "ua-cri"
    assert check_route([("port_of_discharge", "Latakia")]).severity == "review"


# --- flags of convenience ------------------------------------------------------------------------


def test_flag_of_convenience_only_review_when_risky(screen: RouteScreen) -> None:
    [f] = screen.flag_findings("Panama", risky=False)
    assert (f.rule, f.severity, f.subject) == ("vessel.flag_of_convenience", "info", "vessel")
    assert "itfseafarers.org" in f.source
    [g] = screen.flag_findings("PA", risky=True)
    assert g.severity == "review"
    assert flag_findings("Liberia", True)[0].severity == "review"
    assert screen.flag_findings("Germany", risky=True) == []
    assert screen.flag_findings("NO", risky=True) == []  # Norway, not the YAML boolean
    assert screen.flag_findings(None, risky=True) == []


# --- user files ------------------------------------------------------------------------------------


def test_user_ports_merge_over_defaults(tmp_path: Path) -> None:
    path = tmp_path / "mine.yml"
    path.write_text(
        "version: corp-1\n"
        "ports:\n"
        "  - {name: Xanadu Harbour, country: ir, caspian: true}\n"
        "  - {locode: IRBND, name: Bandar Abbas, aliases: [BA Terminal 7]}\n"
        "  - {name: Port Nowhere, country: no}\n",
        encoding="utf-8",
    )
    ports = PortDirectory.load(path)
    xanadu = ports.resolve("Xanadu Harbour")
    assert xanadu is not None and xanadu.caspian and xanadu.listed
    abbas = ports.resolve("BA Terminal 7")
    assert abbas is not None and abbas.locode == "IRBND"
    assert ports.resolve("Shahid Rajaee") is abbas  # the default aliases are kept
    nowhere = ports.resolve("Port Nowhere")
    assert nowhere is not None and nowhere.country == "no"
    assert ports.version.endswith("+corp-1") and "mine.yml" in ports.source
    screen = RouteScreen(ports, PortRules.load(), DestinationRules.load())
    route = screen.check([("port_of_loading", "Xanadu Harbour"), ("port_of_discharge", "Olya")])
    assert "port.caspian_route" in [f.rule for f in route.findings]


def test_user_ports_replace(tmp_path: Path) -> None:
    path = tmp_path / "only.yml"
    path.write_text("replace: true\nports:\n  - {locode: IRBND, name: Bandar Abbas}\n", encoding="utf-8")
    ports = PortDirectory.load(path)
    assert len(ports) == 1 and ports.resolve("Rotterdam") is None


def test_user_rules_replace_a_section(tmp_path: Path) -> None:
    path = tmp_path / "rules.yml"
    path.write_text(
        "transshipment_hub:\n  severity: block\n  roles: [port_of_discharge]\n  source: internal policy 7\n",
        encoding="utf-8",
    )
    screen = RouteScreen.load(rules_path=path)
    [f] = screen.check([("port_of_discharge", "Mersin")], high_priority_goods=True).findings
    assert f.severity == "block" and f.source.startswith("internal policy 7")
    assert screen.rules.caspian_severity == "block"  # other sections kept


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("ports:\n  - {name: Foo}\n", "ports[0] (Foo)", "'locode' or a 'country'"),
        ("ports:\n  - {name: Foo, locode: IRBN}\n", "ports[0] (Foo)", "not a UN/LOCODE"),
        ("ports:\n  - {name: Foo, locode: IRFOO, country: ru}\n", "ports[0] (Foo)", "contradicts locode"),
        ("ports:\n  - {name: Foo, country: Atlantis}\n", "ports[0] (Foo)", "unknown country 'Atlantis'"),
        ("ports:\n  - {name: Foo, country: ir, alias: [F]}\n", "ports[0] (Foo)", "unknown field(s): alias"),
        ("ports:\n  - {name: Foo, country: ua, area: ir-x}\n", "ports[0] (Foo)", "not an occupied-region code"),
        ("ports:\n  - {name: Foo, country: ir, caspian: maybe}\n", "ports[0] (Foo)", "'caspian'"),
        ("ports:\n  - {name: Foo, country: ir, aliases: Bar}\n", "ports[0] (Foo)", "'aliases'"),
        ("ports:\n  - {name: A, country: ir}\n  - [x]\n", "ports[1]", "expected a mapping"),
        ("dataset:\n  IRFOO: [1, 2]\n", "dataset.IRFOO", "a name or a list of names"),
        ("bogus: 1\n", None, "unknown section(s): bogus"),
        ("ports: [\n", "line", "invalid YAML"),
    ],
)
def test_malformed_ports_file(tmp_path: Path, text: str, where: str | None, problem: str) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    err = assert_refused(lambda: PortDirectory.load(path), path)
    assert err.path == str(path)
    if where is None:
        assert err.where is None
    else:
        assert err.where is not None and err.where.startswith(where)
    assert problem in err.problem


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("caspian_route: {severity: maybe, source: s}\n", "caspian_route.severity", "severity must be"),
        ("caspian_route: {pairs: [[ir, ru]]}\n", "caspian_route", "missing 'source'"),
        ("caspian_route: {source: s, pairs: [[ir]]}\n", "caspian_route.pairs[0]", "two country codes"),
        ("transshipment_hub: {source: s, roles: [quay]}\n", "transshipment_hub.roles", "roles must be"),
        ("flags_of_convenience: {groups: [{countries: [pa]}]}\n", "flags_of_convenience.groups[0]", "'source'"),
        ("replace: true\n", None, "unknown section(s): replace"),
    ],
)
def test_malformed_rules_file(tmp_path: Path, text: str, where: str | None, problem: str) -> None:
    path = tmp_path / "bad_rules.yml"
    path.write_text(text, encoding="utf-8")
    err = assert_refused(lambda: PortRules.load(path), path)
    assert err.path == str(path)
    assert err.where == where
    assert problem in err.problem


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read file"):
        PortDirectory.load(tmp_path / "nope.yml")
