"""Exceptions of the LLM layer. Each carries a message that says what went wrong and what to do."""

from __future__ import annotations


class LLMError(RuntimeError):
    """A call failed for good (retries exhausted, or an error that retrying cannot fix)."""


class LLMUnavailable(LLMError):
    """The service kept failing with errors that usually pass (rate limits, timeouts, 5xx, lost
    connections) until the retries ran out. A caller with time to spare may wait and call again."""


class LLMTimeUp(LLMError):
    """The call did not answer within the time its caller gave it (`chat(within_s=...)`), e.g. the
    time left to a run. No outage: the caller's own clock ran out, so calling again will not help."""


class ContextWindowExceeded(LLMError):
    """The conversation no longer fits the model's context window; shorten it and call again."""


class MissingAPIKey(LLMError):
    """The model needs an API key that is not set in the environment."""

    def __init__(self, model: str, env_vars: tuple[str, ...]):
        self.model = model
        self.env_vars = env_vars
        names = " or ".join(env_vars)
        super().__init__(
            f"model {model!r} needs an API key: set {names} in the environment "
            f"(e.g. `export {env_vars[0]}=...`), or use model 'local' for the embedded model"
        )


class BudgetExceeded(RuntimeError):
    """A run budget limit (cost, tokens or calls) is reached; `reason` says which."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class ReplayDivergence(RuntimeError):
    """A replayed run asked for something other than what the cassette recorded."""

    def __init__(self, index: int, detail: str):
        self.index = index
        self.detail = detail
        super().__init__(f"replay diverged at call {index}: {detail}")
