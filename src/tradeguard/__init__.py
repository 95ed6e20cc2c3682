"""tradeguard: sanctions and export-control screening with a versioned list store.

``from tradeguard import Screener`` gives the Python entry point (see
``tradeguard.screening.parties``); it is imported lazily so that ``import tradeguard`` stays
cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from tradeguard.screening.parties import Screener

__all__ = ["Screener", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Screener":
        from tradeguard.screening.parties import Screener

        return Screener
    raise AttributeError(f"module 'tradeguard' has no attribute {name!r}")
