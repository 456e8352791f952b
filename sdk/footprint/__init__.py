"""The footprint domain: PACT ProductFootprint model, factors, roll-up, DQR and grading.

Pure logic; the only I/O is reading the data files shipped in ``sdk/footprint/data``.
"""

from sdk.footprint._model import (
    BOUNDARIES,
    TANJI_EXTENSION_SCHEMA,
    TANJI_EXTENSION_VERSION,
    Dqi,
    GridFactorRef,
    LabelGrade,
    MeteringRecord,
    Pcf,
    ProductFootprint,
    TanjiExtension,
)
from sdk.footprint._pact import PactVersion, from_pact, pact_major, to_pact

__all__ = [
    "BOUNDARIES",
    "TANJI_EXTENSION_SCHEMA",
    "TANJI_EXTENSION_VERSION",
    "Dqi",
    "GridFactorRef",
    "LabelGrade",
    "MeteringRecord",
    "PactVersion",
    "Pcf",
    "ProductFootprint",
    "TanjiExtension",
    "from_pact",
    "pact_major",
    "to_pact",
]
