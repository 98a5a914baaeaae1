from tests.staff import health_agent, health_agent_client  # noqa: F401 — shared fixtures
