"""Fast unit tests of the pure modules: no servers, no network, no Temporal."""
