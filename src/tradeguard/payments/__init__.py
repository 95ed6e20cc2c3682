"""Payment messages (ISO 20022 XML and SWIFT MT) read into one data model, safely.

``read_payments(path)`` reads a file or a folder, ``read_payment_bytes(data, source)`` a
request body; both give :class:`Message` objects and never raise for bad content (see
:mod:`tradeguard.payments.model` for the fail-closed rule). :mod:`tradeguard.payments.builder`
builds test messages.
"""

from tradeguard.payments.model import (
    FreeText,
    Message,
    PaymentError,
    PaymentParty,
    PostalAddress,
    Transaction,
)
from tradeguard.payments.read import detect_payment_format, read_payment_bytes, read_payments

__all__ = [
    "FreeText",
    "Message",
    "PaymentError",
    "PaymentParty",
    "PostalAddress",
    "Transaction",
    "detect_payment_format",
    "read_payment_bytes",
    "read_payments",
]
