"""A scripted model for MLAB tests: main-loop replies chosen by step (read from the prompt's
<STEPS_REMAINING> note, so a resumed run gets the same script) and by re-ask; edit replies from a
list or a function; fast-model replies are short summaries."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scaffolds.core.llm.testing import Reply

SEX_RULE = '''\
import pandas as pd

train = pd.read_csv("{data}/train.csv")
test = pd.read_csv("{data}/test.csv")
accuracy = ((train["Sex"] == "female").astype(int) == train["Survived"]).mean()
print(f"Validation accuracy: {{accuracy:.4f}}")
prediction = (test["Sex"] == "female").astype(int)
pd.DataFrame({{"PassengerId": test["PassengerId"], "Survived": prediction}}).to_csv("{submission}", index=False)
'''


def say(action: str, args: dict[str, Any] | str, thought: str = "next step", plan: str = "1. baseline") -> str:
    """A well-formed main reply; `args` as a dict is written as JSON, a str verbatim."""
    action_input = args if isinstance(args, str) else json.dumps(args)
    return (f"Reflection: the last observation is as expected.\nResearch Plan and Status: {plan}\n"
            f"Fact Check: none\nThought: {thought}\nAction: {action}\nAction Input: {action_input}")


def fenced(code: str) -> str:
    return f"Here is the edited script.\n```python\n{code}```\n"


def prompt_of(body: dict[str, Any]) -> str:
    return str((body.get("messages") or [{}])[-1].get("content") or "")


def is_main(body: dict[str, Any]) -> bool:
    return "Research Problem:" in prompt_of(body)


def step_of(body: dict[str, Any], max_steps: int) -> int:
    left = re.findall(r"<STEPS_REMAINING: (\d+)>", prompt_of(body))
    return max_steps - int(left[-1]) if left else 0


def attempt_of(body: dict[str, Any]) -> int:
    return prompt_of(body).count("Your reply was not in the required format")


MainPlan = list  # per step: a reply (str or Reply) or a list of them, one per try


@dataclass
class Model:
    """`main[step]` answers the main loop; `edits` answer Edit Script (AI) in order (the last repeats);
    `outage` maps a step to how many main requests of that step fail with 503 first, `too_long` to how
    many are refused as over the context window."""

    main: MainPlan
    max_steps: int
    edits: list[str | Reply | Callable[[dict], Reply]] = field(default_factory=list)
    outage: dict[int, int] = field(default_factory=dict)
    too_long: dict[int, int] = field(default_factory=dict)  # step -> main requests refused as too long
    edit_calls: int = 0
    fast_prompts: list[str] = field(default_factory=list)

    def __call__(self, body: dict[str, Any]) -> Reply:
        if is_main(body):
            return self._main(body)
        first = str((body.get("messages") or [{}])[0].get("content") or "")
        if first.startswith(("Here is a Python script", "Here are some lines of a Python script")):
            item = self.edits[min(self.edit_calls, len(self.edits) - 1)]
            self.edit_calls += 1
            reply = item(body) if callable(item) else item
            return reply if isinstance(reply, Reply) else Reply.text(reply, prompt_tokens=300, completion_tokens=200)
        self.fast_prompts.append(prompt_of(body))
        if first.startswith(("Here is part of a file", "A file was read in parts")):
            return Reply.text("The file prints rows. " + "Each row is long. " * 200, prompt_tokens=50,
                              completion_tokens=900)
        return Reply.text("[Observation]: a short summary of the long output.", prompt_tokens=50,
                          completion_tokens=10)

    def _main(self, body: dict[str, Any]) -> Reply:
        step = step_of(body, self.max_steps)
        if self.outage.get(step, 0) > 0:
            self.outage[step] -= 1
            return Reply.fail(503, "scripted outage")
        if self.too_long.get(step, 0) > 0:
            self.too_long[step] -= 1
            return Reply.fail(400, "This model's maximum context length is 8192 tokens. However, your messages "
                                   "resulted in 9100 tokens. Please reduce the length of the messages.")
        item = self.main[min(step, len(self.main) - 1)]
        if isinstance(item, list):
            item = item[min(attempt_of(body), len(item) - 1)]
        return item if isinstance(item, Reply) else Reply.text(item, prompt_tokens=1000, completion_tokens=150)
