"""What an agent receives: the `Task` contract between `bench` (which builds it) and scaffolds (which read it)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class TaskLimits:
    """The one limits record of a run. `None` means unlimited.

    The runner feeds it to the sandbox (wall clock, per-action timeout, memory, CPUs, GPUs), to the LLM
    budget (USD, tokens, calls) and to the `Task` the agent reads, so no layer has a default of its own
    that could silently cut a run.
    """

    wall_time_s: float | None = None
    max_steps: int | None = None
    max_cost_usd: float | None = None
    max_tokens: int | None = None
    max_llm_calls: int | None = None
    action_timeout_s: float = 600.0
    memory_mb: int | None = None  # None: the sandbox's own default
    cpus: float | None = None
    gpus: str | None = None  # e.g. "0,1" -> CUDA_VISIBLE_DEVICES inside; None: no GPU visible


@dataclass(frozen=True)
class Task:
    """One competition as an agent sees it.

    `instructions` state the benchmark rules, paths, validation and limits; `description` is the
    competition text. Both have obfuscated variants (no Kaggle framing, no competition name) for the
    contamination study; `prompt_text(obfuscated=...)` picks the right pair.
    """

    competition_id: str
    instructions: str
    description: str
    limits: TaskLimits = field(default_factory=TaskLimits)
    lower_is_better: bool | None = None
    metric_name: str = ""
    instructions_obfuscated: str = ""
    description_obfuscated: str = ""
    obfuscated: bool = False

    def prompt_text(self) -> str:
        """Instructions followed by the description, in the variant this task was built for."""
        if self.obfuscated:
            return f"{self.instructions_obfuscated}\n\n{self.description_obfuscated}".strip()
        return f"{self.instructions}\n\n{self.description}".strip()

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> Task:
        raw = json.loads(text)
        raw["limits"] = TaskLimits(**raw.get("limits", {}))
        return cls(**raw)

    def save(self, path: Path) -> None:
        path.write_text(self.to_json())
