"""The footprint domain: PACT ProductFootprint model, factors, roll-up, DQR and grading.

Pure logic; the only I/O is reading the data files shipped in ``sdk/footprint/data``.
See docs/footprint.md for the model, units, factor sources, DQR method and grading.
"""

from sdk.footprint._factors import (
    CATEGORIES,
    FACTOR_SET_TAG,
    Factor,
    FactorSet,
    default_factor_set,
)
from sdk.footprint._grading import Benchmark, GradeBand, grade, notebook_benchmark
from sdk.footprint._inventory import (
    ACTIVITY_KINDS,
    INVENTORY_SCHEMA,
    ActivityLine,
    BomLine,
    Dqr,
    Inventory,
)
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
from sdk.footprint._rollup import (
    DQR_CUTOFF,
    DQR_QUANTUM,
    LINE_QUANTUM,
    PCF_QUANTUM,
    PERCENT_QUANTUM,
    SHARE_QUANTUM,
    LineResult,
    RollupResult,
    recompute,
    roll_up,
)
from sdk.footprint._units import CALC_CONTEXT, UNITS, Unit, convert, split_factor_unit, tkm

__all__ = [
    "ACTIVITY_KINDS",
    "BOUNDARIES",
    "CALC_CONTEXT",
    "CATEGORIES",
    "DQR_CUTOFF",
    "DQR_QUANTUM",
    "FACTOR_SET_TAG",
    "INVENTORY_SCHEMA",
    "LINE_QUANTUM",
    "PCF_QUANTUM",
    "PERCENT_QUANTUM",
    "SHARE_QUANTUM",
    "TANJI_EXTENSION_SCHEMA",
    "TANJI_EXTENSION_VERSION",
    "UNITS",
    "ActivityLine",
    "Benchmark",
    "BomLine",
    "Dqi",
    "Dqr",
    "Factor",
    "FactorSet",
    "GradeBand",
    "GridFactorRef",
    "Inventory",
    "LabelGrade",
    "LineResult",
    "MeteringRecord",
    "PactVersion",
    "Pcf",
    "ProductFootprint",
    "RollupResult",
    "TanjiExtension",
    "Unit",
    "convert",
    "default_factor_set",
    "from_pact",
    "grade",
    "notebook_benchmark",
    "pact_major",
    "recompute",
    "roll_up",
    "split_factor_unit",
    "tkm",
    "to_pact",
]
