"""The journal: every node (one whole-script solution) of one AIDE run, as typed, serialisable records.

A node's stage follows from the tree: no parent is a draft, a buggy parent makes a debug step, a
working parent an improve step. The run's metric direction is stored once here, so every comparison
uses the same direction even when a review contradicts it.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Callable

from scaffolds.aide.metric import MetricValue

JOURNAL_VERSION = 1


@dataclass
class Usage:
    """LLM spending of one node (code call plus review call)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    calls: int = 0
    llm_s: float = 0.0

    def add(self, prompt: int, completion: int, cost: float, seconds: float) -> None:
        self.prompt_tokens += prompt
        self.completion_tokens += completion
        self.cost_usd += cost
        self.calls += 1
        self.llm_s += seconds

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass
class Timing:
    """Where one step's time went. `overhead_s` is everything but LLM calls and the script's own run."""

    code_llm_s: float = 0.0
    exec_s: float = 0.0
    review_llm_s: float = 0.0
    step_s: float = 0.0

    @property
    def overhead_s(self) -> float:
        return max(0.0, self.step_s - self.code_llm_s - self.exec_s - self.review_llm_s)


@dataclass
class Node:
    """One solution script, its execution and its review."""

    id: str
    step: int
    stage: str  # "draft" | "improve" | "debug"
    parent_id: str | None = None
    plan: str = ""
    code: str = ""
    output: str = ""  # terminal output, trimmed as fed to the review and debug prompts
    exit_code: int | None = None
    timed_out: bool = False
    killed_reason: str | None = None
    exc_type: str | None = None
    exec_time_s: float = 0.0
    timeout_s: float = 0.0
    analysis: str = ""
    metric: float | None = None
    review_lower_is_better: bool | None = None
    is_buggy: bool = True
    bug_reasons: list[str] = field(default_factory=list)
    has_submission: bool = False
    submission_valid: bool | None = None
    validation_message: str = ""
    debug_depth: int = 0
    created_at: float = field(default_factory=time.time)
    usage: Usage = field(default_factory=Usage)
    timing: Timing = field(default_factory=Timing)

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex[:10]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["timing"]["overhead_s"] = self.timing.overhead_s
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Node:
        known = {f.name for f in fields(cls)}
        raw = {k: v for k, v in data.items() if k in known}
        raw["usage"] = Usage(**data.get("usage", {}))
        timing = {k: v for k, v in data.get("timing", {}).items() if k != "overhead_s"}
        raw["timing"] = Timing(**timing)
        return cls(**raw)


@dataclass
class Journal:
    """All nodes of a run plus the run-level facts the search needs."""

    nodes: list[Node] = field(default_factory=list)
    maximize: bool | None = None  # fixed once per run; None until known
    direction_source: str = ""  # "task" | "review"
    direction_conflicts: int = 0  # reviews that disagreed with the fixed direction
    elapsed_s: float = 0.0  # agent wall time summed over every session of this run (resume)
    sessions: int = 0
    end_reason: str = ""

    def __len__(self) -> int:
        return len(self.nodes)

    def get(self, node_id: str | None) -> Node | None:
        return next((n for n in self.nodes if n.id == node_id), None) if node_id else None

    def children(self, node: Node) -> list[Node]:
        return [n for n in self.nodes if n.parent_id == node.id]

    @property
    def draft_nodes(self) -> list[Node]:
        return [n for n in self.nodes if n.parent_id is None]

    @property
    def good_nodes(self) -> list[Node]:
        return [n for n in self.nodes if not n.is_buggy]

    @property
    def buggy_nodes(self) -> list[Node]:
        return [n for n in self.nodes if n.is_buggy]

    def metric_of(self, node: Node) -> MetricValue:
        """The node's score in the run's direction; buggy nodes rank worst."""
        maximize = True if self.maximize is None else self.maximize
        return MetricValue(None if node.is_buggy else node.metric, maximize)

    def best_node(self, only_good: bool = True) -> Node | None:
        """Best working node by the run's direction (ties: the earlier node)."""
        pool = self.good_nodes if only_good else self.nodes
        best: Node | None = None
        for node in pool:
            if best is None or self.metric_of(node) > self.metric_of(best):
                best = node
        return best

    def ranked_good_nodes(self) -> list[Node]:
        return sorted(self.good_nodes, key=self.metric_of, reverse=True)

    def memory(self, count_tokens: Callable[[str], int], budget_tokens: int) -> str:
        """What earlier working solutions tried and scored, best first, within `budget_tokens`.

        AIDE lists every good node and lets this grow without bound; here the best ones are kept
        until the budget is used, and the omission is stated.
        """
        entries, used = [], 0
        ranked = self.ranked_good_nodes()
        for node in ranked:
            entry = f"Plan: {node.plan.strip()}\nFindings: {node.analysis.strip()}\nValidation metric: {node.metric}"
            cost = count_tokens(entry) + 4
            if used + cost > budget_tokens:
                continue
            entries.append(entry)
            used += cost
        omitted = len(ranked) - len(entries)
        text = "\n---\n".join(entries)
        if omitted:
            text += f"\n---\n({omitted} further working solutions omitted to keep this short.)"
        return text.strip()

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": JOURNAL_VERSION,
            "maximize": self.maximize,
            "direction_source": self.direction_source,
            "direction_conflicts": self.direction_conflicts,
            "elapsed_s": self.elapsed_s,
            "sessions": self.sessions,
            "end_reason": self.end_reason,
            "nodes": [n.to_dict() for n in self.nodes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Journal:
        if data.get("version") != JOURNAL_VERSION:
            raise ValueError(f"journal version {data.get('version')!r} is not {JOURNAL_VERSION}")
        return cls(
            nodes=[Node.from_dict(n) for n in data.get("nodes", [])],
            maximize=data.get("maximize"),
            direction_source=data.get("direction_source", ""),
            direction_conflicts=data.get("direction_conflicts", 0),
            elapsed_s=data.get("elapsed_s", 0.0),
            sessions=data.get("sessions", 0),
            end_reason=data.get("end_reason", ""),
        )

    def totals(self) -> Usage:
        total = Usage()
        for node in self.nodes:
            total.prompt_tokens += node.usage.prompt_tokens
            total.completion_tokens += node.usage.completion_tokens
            total.cost_usd += node.usage.cost_usd
            total.calls += node.usage.calls
            total.llm_s += node.usage.llm_s
        return total
