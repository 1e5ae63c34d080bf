"""The LLM layer shared by every scaffold: any model through litellm, or the embedded local model.

    from scaffolds.core.llm import LLM, Message
    llm = LLM("local")                     # or "gpt-4o", "anthropic/claude-sonnet-4-5", "openai/x" + api_base
    reply = llm.chat([Message.system("You write Python."), Message.user("Print 1+1.")])

Importing this package does not import litellm and touches no network.
"""

from .budget import Budget
from .client import LLM, LLMConfig
from .errors import (BudgetExceeded, ContextWindowExceeded, LLMError, LLMTimeUp, LLMUnavailable, MissingAPIKey,
                     ReplayDivergence)
from .models import resolve_default_model
from .records import ChatResult, Message, ToolCall, ToolSpec, Usage

__all__ = [
    "LLM", "LLMConfig", "Message", "ToolSpec", "ToolCall", "ChatResult", "Usage", "Budget",
    "LLMError", "LLMTimeUp", "LLMUnavailable", "BudgetExceeded", "ReplayDivergence", "MissingAPIKey",
    "ContextWindowExceeded",
    "resolve_default_model",
]
