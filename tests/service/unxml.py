"""Hand-made UN consolidated-list XML files (the official format), for small list versions."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape


def person(dataid: str, first: str, second: str, dob: str | None = None, aliases: tuple[str, ...] = (),
           comments: str | None = None) -> str:
    parts = [f"<DATAID>{dataid}</DATAID><FIRST_NAME>{escape(first)}</FIRST_NAME>",
             f"<SECOND_NAME>{escape(second)}</SECOND_NAME><UN_LIST_TYPE>Test</UN_LIST_TYPE>"]
    if comments:
        parts.append(f"<COMMENTS1>{escape(comments)}</COMMENTS1>")
    for alias in aliases:
        parts.append(f"<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>{escape(alias)}</ALIAS_NAME></INDIVIDUAL_ALIAS>")
    if dob:
        parts.append(f"<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>{dob}</DATE></INDIVIDUAL_DATE_OF_BIRTH>")
    return "<INDIVIDUAL>" + "".join(parts) + "</INDIVIDUAL>"


def organisation(dataid: str, name: str, aliases: tuple[str, ...] = ()) -> str:
    parts = [f"<DATAID>{dataid}</DATAID><FIRST_NAME>{escape(name)}</FIRST_NAME><UN_LIST_TYPE>Test</UN_LIST_TYPE>"]
    for alias in aliases:
        parts.append(f"<ENTITY_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>{escape(alias)}</ALIAS_NAME></ENTITY_ALIAS>")
    return "<ENTITY>" + "".join(parts) + "</ENTITY>"


def write_un_xml(path: Path, generated: str, records: list[str]) -> Path:
    people = [r for r in records if r.startswith("<INDIVIDUAL>")]
    orgs = [r for r in records if r.startswith("<ENTITY>")]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<CONSOLIDATED_LIST dateGenerated="{generated}T00:00:00.000Z">\n'
        "<INDIVIDUALS>\n" + "\n".join(people) + "\n</INDIVIDUALS>\n"
        "<ENTITIES>\n" + "\n".join(orgs) + "\n</ENTITIES>\n"
        "</CONSOLIDATED_LIST>\n",
        encoding="utf-8",
    )
    return path
