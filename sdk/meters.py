"""Meter registry client: metering devices, device keys and calibrations on chain."""

from sdk._meters import MeterRegistryClient, device_id_digest

__all__ = ["MeterRegistryClient", "device_id_digest"]
