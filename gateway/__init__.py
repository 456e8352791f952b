"""The organisation's own server (DESIGN.md §9): its PACT API, staff console and meter
readers. So far it holds :mod:`gateway.meters`, the meter readers."""
