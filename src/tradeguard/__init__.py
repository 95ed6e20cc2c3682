"""tradeguard: sanctions and export-control screening with a versioned list store."""

__version__ = "0.1.0"
