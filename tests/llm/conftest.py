from __future__ import annotations

from collections.abc import Iterator

import pytest

from scaffolds.core.llm.models import PROVIDER_KEYS
from scaffolds.core.llm.testing import ScriptedServer


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests must not depend on (or leak) the developer's real keys and model choices."""
    for names in PROVIDER_KEYS.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("MLE_SUITE_MODEL", raising=False)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


FAST = {"retry_initial_s": 0.01, "retry_max_s": 0.05, "timeout_s": 10}
