"""Flow tests use the loopback site of the fetch tests."""
from tests.fetch.conftest import site  # noqa: F401 (a fixture, shared)
