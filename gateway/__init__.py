"""The organisation's own server (DESIGN.md §9): its PACT API (:mod:`gateway.pact`) and
meter readers (:mod:`gateway.meters`)."""
