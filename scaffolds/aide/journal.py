"""The journal: every node (one whole-script solution) of one AIDE run, as typed, serialisable records.

A node's stage follows from the tree: no parent is a draft, a buggy parent makes a debug step, a
working parent an improve step. The run's metric direction is stored once here, so every comparison
uses the same direction even when a review contradicts it.

The journal also accounts for what never became a node: attempts abandoned part-way (budget refused,
no time left, process killed) keep their LLM spending in `abandoned`. The attempt being worked on is
`in_progress` (saved on its own before its script and its review, see resume.py), so a resumed run
knows what a dead process had spent.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Callable

from scaffolds.aide.metric import MetricValue

JOURNAL_VERSION = 2


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

    def absorb(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cost_usd += other.cost_usd
        self.calls += other.calls
        self.llm_s += other.llm_s

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
    import_fixes: list[str] = field(default_factory=list)  # import lines asked for before the run (aids)
    analysis: str = ""
    metric: float | None = None
    review_lower_is_better: bool | None = None
    is_buggy: bool = True
    bug_reasons: list[str] = field(default_factory=list)
    has_submission: bool = False
    submission_valid: bool | None = None
    validation_message: str = ""
    debug_depth: int = 0
    reviewed: bool = True  # False: the script ran but the review call failed; reviewed again on resume
    abandoned_reason: str = ""  # set on attempts that never became a node
    phase: str = ""  # generating | executing | reviewing, while in progress
    created_at: float = field(default_factory=time.time)
    usage: Usage = field(default_factory=Usage)
    timing: Timing = field(default_factory=Timing)

    @staticmethod
    def make_id(seed: int, step: int, attempt: int) -> str:
        """Ids follow from (seed, step, attempt): they appear in prompts (script paths in tracebacks),
        so a replayed run must name its nodes as the recorded one did."""
        return hashlib.sha256(f"aide-node:{seed}:{step}:{attempt}".encode()).hexdigest()[:10]

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
    abandoned: list[Node] = field(default_factory=list)  # attempts that never became nodes, with their cost
    in_progress: Node | None = None  # the attempt being worked on when the journal was saved
    other_usage: Usage = field(default_factory=Usage)  # LLM calls outside nodes (the report)
    best_node_id: str | None = None  # the node whose submission and code are placed as the run's best
    settings: dict[str, Any] = field(default_factory=dict)  # what a resume needs: models, API base, limits

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

    def memory(self, count_tokens: Callable[[str], int], budget_tokens: int | None) -> str:
        """What earlier working solutions tried and scored, best first, within `budget_tokens`.

        AIDE lists every good node in journal order and lets this grow without bound (`budget_tokens`
        None); here the best ones are kept until the budget is used, and the omission is stated.
        """
        if budget_tokens is None:
            return "\n---\n".join(_memory_entry(n) for n in self.good_nodes)
        entries, used = [], 0
        ranked = self.ranked_good_nodes()
        for node in ranked:
            entry = _memory_entry(node)
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
            "best_node_id": self.best_node_id,
            "settings": self.settings,
            "other_usage": asdict(self.other_usage),
            "in_progress": self.in_progress.to_dict() if self.in_progress else None,
            "abandoned": [n.to_dict() for n in self.abandoned],
            "nodes": [n.to_dict() for n in self.nodes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Journal:
        """Raises ValueError on another format version, KeyError/TypeError on a malformed journal."""
        if data.get("version") != JOURNAL_VERSION:
            raise ValueError(f"journal format version {data.get('version')!r}, expected {JOURNAL_VERSION}")
        progress = data.get("in_progress")
        return cls(
            nodes=[Node.from_dict(n) for n in data["nodes"]],
            maximize=data.get("maximize"),
            direction_source=data.get("direction_source", ""),
            direction_conflicts=data.get("direction_conflicts", 0),
            elapsed_s=float(data.get("elapsed_s", 0.0)),
            sessions=int(data.get("sessions", 0)),
            end_reason=data.get("end_reason", ""),
            abandoned=[Node.from_dict(n) for n in data.get("abandoned", [])],
            in_progress=Node.from_dict(progress) if progress else None,
            other_usage=Usage(**data.get("other_usage", {})),
            best_node_id=data.get("best_node_id"),
            settings=dict(data.get("settings") or {}),
        )

    def abandon(self, node: Node, reason: str) -> None:
        """Keep an attempt that will never be a node, with what it spent."""
        node.abandoned_reason = reason
        self.abandoned.append(node)
        if self.in_progress is node:
            self.in_progress = None

    def attempts_at(self, step: int) -> int:
        return sum(1 for n in self.abandoned if n.step == step)

    def totals(self) -> Usage:
        """Every LLM call of the run: nodes, abandoned attempts, the attempt in progress, the report."""
        total = Usage()
        extra = [self.in_progress] if self.in_progress else []
        for node in [*self.nodes, *self.abandoned, *extra]:
            total.absorb(node.usage)
        total.absorb(self.other_usage)
        return total


def _memory_entry(node: Node) -> str:
    return f"Plan: {node.plan.strip()}\nFindings: {node.analysis.strip()}\nValidation metric: {node.metric}"
