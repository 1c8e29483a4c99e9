"""Benchmarks and the load test; bench/loadtest.py is also used by tests/test_production_topology.py."""
