"""A throw-away app for the registry's test: a parcel and its machine, declared outside
`lifecycle/` the way any app declares its own (`tests/lifecycle/test_registry.py`)."""
