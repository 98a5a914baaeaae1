from tests.accounts.clerks import (  # noqa: F401 — a clerk of each service, a superuser's browser
    accountant,
    accountant_client,
    clerk,
    clerk_client,
    superuser_client,
)
from tests.staff import health_agent, health_agent_client  # noqa: F401 — shared fixtures
