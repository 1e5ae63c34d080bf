from __future__ import annotations

import logging

import pytest

from scaffolds.core.llm import LLM, Budget, BudgetExceeded, Message
from scaffolds.core.llm.models import import_litellm
from scaffolds.core.llm.testing import Reply, ScriptedServer

from .conftest import FAST


def test_cost_of_a_priced_model_follows_litellm_price_map(server: ScriptedServer) -> None:
    server.push(Reply.text("x", prompt_tokens=1000, completion_tokens=200, cached_tokens=400))
    llm = LLM("gpt-4o", api_base=server.url, **FAST)
    usage = llm.chat([Message.user("hi")]).usage
    prices = import_litellm().model_cost["gpt-4o"]
    expected = (600 * prices["input_cost_per_token"] + 400 * prices["cache_read_input_token_cost"]
                + 200 * prices["output_cost_per_token"])
    assert (usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens) == (1000, 200, 400)
    assert usage.cost_usd == pytest.approx(expected, rel=1e-9)
    assert usage.cost_usd > 0
    assert server.chat_requests[0]["model"] == "gpt-4o"


def test_unknown_model_uses_user_price(server: ScriptedServer) -> None:
    server.push(Reply.text("x", prompt_tokens=2_000_000, completion_tokens=500_000))
    llm = LLM("openai/my-finetune", api_base=server.url, price=(0.5, 2.0), **FAST)
    assert llm.chat([Message.user("hi")]).usage.cost_usd == pytest.approx(1.0 + 1.0)


def test_unknown_model_without_price_costs_zero_with_one_warning(server: ScriptedServer,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    server.push(Reply.text("a"), Reply.text("b"))
    with caplog.at_level(logging.WARNING, logger="scaffolds.core.llm"):
        llm = LLM("openai/mystery-model", api_base=server.url, **FAST)
        costs = [llm.chat([Message.user("hi")]).usage.cost_usd for _ in range(2)]
    assert costs == [0.0, 0.0]
    warnings = [r for r in caplog.records if "not in litellm's price map" in r.getMessage()]
    assert len(warnings) == 1 and "mystery-model" in warnings[0].getMessage()


def test_cost_budget_is_shared_between_llm_objects(server: ScriptedServer) -> None:
    for _ in range(3):
        server.push(Reply.text("x", prompt_tokens=1_000_000, completion_tokens=0))
    budget = Budget(max_cost_usd=1.5)
    coder = LLM("openai/a", api_base=server.url, price=(1.0, 1.0), budget=budget, **FAST)
    critic = LLM("openai/b", api_base=server.url, price=(1.0, 1.0), budget=budget, **FAST)
    coder.chat([Message.user("1")])
    critic.chat([Message.user("2")])  # crosses the limit: served, since it was paid for
    assert budget.spent_usd == pytest.approx(2.0) and budget.calls == 2
    with pytest.raises(BudgetExceeded, match=r"cost budget reached: \$2\.0000 spent of \$1\.5000") as info:
        coder.chat([Message.user("3")])
    assert "cost" in info.value.reason
    assert len(server.chat_requests) == 2  # the refused call never reached the server


def test_token_budget(server: ScriptedServer) -> None:
    server.push(Reply.text("x", prompt_tokens=60, completion_tokens=40), Reply.text("y"))
    budget = Budget(max_tokens=100)
    llm = LLM("openai/a", api_base=server.url, budget=budget, **FAST)
    llm.chat([Message.user("1")])
    with pytest.raises(BudgetExceeded, match="token budget reached: 100 tokens used of 100"):
        llm.chat([Message.user("2")])


def test_call_budget(server: ScriptedServer) -> None:
    server.push(Reply.text("x"), Reply.text("y"), Reply.text("z"))
    budget = Budget(max_calls=2)
    llm = LLM("openai/a", api_base=server.url, budget=budget, **FAST)
    llm.chat([Message.user("1")])
    llm.chat([Message.user("2")])
    with pytest.raises(BudgetExceeded, match="call budget reached: 2 calls made of 2"):
        llm.chat([Message.user("3")])
    assert len(server.chat_requests) == 2
    assert budget.snapshot() == {"max_cost_usd": None, "max_tokens": None, "max_calls": 2, "spent_usd": 0.0,
                                 "tokens": 30, "calls": 2}


def test_count_tokens_offline_and_context_window(server: ScriptedServer) -> None:
    llm = LLM("gpt-4o", api_base=server.url)
    import tiktoken

    assert llm.count_tokens("hello world") == len(tiktoken.get_encoding("o200k_base").encode("hello world")) == 2
    assert llm.context_window == import_litellm().model_cost["gpt-4o"]["max_input_tokens"]
    other = LLM("openai/unknown-thing", api_base=server.url, price=(0, 0))
    assert other.count_tokens("def f(x):\n    return x") > 3
    assert other.context_window == 8192


def test_carried_over_spending_counts_toward_the_limits(server: ScriptedServer) -> None:
    server.push(Reply.text("x", prompt_tokens=10, completion_tokens=0))
    budget = Budget(max_calls=3)
    budget.carry_over(cost_usd=0.5, tokens=100, calls=2)  # what a resumed run spent before
    llm = LLM("openai/a", api_base=server.url, budget=budget, **FAST)
    llm.chat([Message.user("1")])
    with pytest.raises(BudgetExceeded, match="3 calls made of 3"):
        llm.chat([Message.user("2")])
    assert (budget.spent_usd, budget.tokens) == (0.5, 110)
