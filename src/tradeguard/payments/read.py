"""Read payment message files of any supported format, told apart by their content.

The first non-blank bytes decide: ``<`` is ISO 20022 XML, ``{1:`` is SWIFT MT; anything
else is a message with the error "unknown payment message format". Bad content never raises:
it becomes :attr:`Message.errors` (and callers fail closed on it). Only a missing path raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tradeguard.payments.iso20022 import parse_iso20022
from tradeguard.payments.model import MAX_MESSAGE_BYTES, Message, PaymentError
from tradeguard.payments.swift_mt import parse_swift_mt

# A file larger than this is not read at all (each message in it is limited to
# MAX_MESSAGE_BYTES): 256 MiB keeps a folder of large batch files readable on one laptop.
MAX_FILE_BYTES = 256 * 1024 * 1024

ISO20022 = "iso20022"
SWIFT_MT = "swift_mt"

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_LEADING_BLANKS_RE = re.compile(rb"[ \t\r\n]*")


def detect_payment_format(data: bytes) -> str | None:
    """``"iso20022"``, ``"swift_mt"`` or None, from the first non-blank bytes."""
    body = data.removeprefix(_UTF8_BOM)
    blanks = _LEADING_BLANKS_RE.match(body)
    start = blanks.end() if blanks else 0
    if body.startswith(b"<", start):
        return ISO20022
    if body.startswith(b"{1:", start):
        return SWIFT_MT
    return None


def read_payment_bytes(
    data: bytes, source: str, *, max_message_bytes: int = MAX_MESSAGE_BYTES
) -> list[Message]:
    """Read the payment messages of one file's bytes or of a request body.

    Args:
        data: the bytes, in any supported format.
        source: the name used in every error (a file name, or e.g. "request").
        max_message_bytes: the largest message read; a larger one is refused.

    Returns:
        The messages in order, each with its transactions or its errors.

    Example:
        >>> [m.format for m in read_payment_bytes(body, "request")]
        ['MT103', 'MT202COV']
    """
    found = detect_payment_format(data)
    if found == ISO20022:
        return parse_iso20022(data, source, max_bytes=max_message_bytes)
    if found == SWIFT_MT:
        return parse_swift_mt(data, source, max_bytes=max_message_bytes)
    return [_unreadable(source, _unknown_format_problem(data))]


def read_payments(path: Path, *, max_message_bytes: int = MAX_MESSAGE_BYTES) -> Iterator[Message]:
    """Read the payment messages of a file, or of every file under a folder.

    Args:
        path: a file, or a folder read recursively, files in order of their relative path
            (hidden files and folders skipped).
        max_message_bytes: the largest message read; a larger one is refused.

    Returns:
        The messages one by one; ``source`` is the file's name (its path relative to the
        folder when a folder is read).

    Raises:
        FileNotFoundError: when ``path`` does not exist.

    Example:
        >>> [m.source for m in read_payments(Path("payments"))]
        ['a/pacs008.xml', 'b.fin', 'b.fin']
    """
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    for file, source in payment_files(path):
        yield from read_payment_file(file, source, max_message_bytes)


def payment_files(path: Path) -> list[tuple[Path, str]]:
    """The files under ``path`` (or ``path`` itself), each with its source name: the file's
    name, or its path relative to the folder; hidden files and folders skipped."""
    if not path.is_dir():
        return [(path, path.name)]
    found = []
    for file in path.rglob("*"):
        relative = file.relative_to(path)
        if any(part.startswith(".") for part in relative.parts) or not file.is_file():
            continue
        found.append((file, relative.as_posix()))
    return sorted(found, key=lambda item: item[1])


def read_payment_file(file: Path, source: str, max_message_bytes: int = MAX_MESSAGE_BYTES) -> list[Message]:
    """The messages of one file, named ``source`` in errors (never raises for its content)."""
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            problem = f"{size} bytes, over the limit of {MAX_FILE_BYTES} bytes per file"
            return [_unreadable(source, problem, "size")]
        data = file.read_bytes()
    except OSError as exc:
        return [_unreadable(source, f"cannot be read: {exc.strerror or exc}", "file")]
    return read_payment_bytes(data, source, max_message_bytes=max_message_bytes)


def _unknown_format_problem(data: bytes) -> str:
    if not data.strip():
        return "unknown payment message format: the file is empty"
    if data.startswith(_UTF16_BOMS):
        return "unknown payment message format: UTF-16 text; only UTF-8 is accepted"
    return "unknown payment message format: neither ISO 20022 XML ('<') nor SWIFT MT ('{1:')"


def _unreadable(source: str, problem: str, field: str = "format") -> Message:
    return Message(source, 1, None, None, transactions=[], errors=[PaymentError(source, 1, field, problem)])
