"""AIDE's search policy: which node to expand next (None means: write a new draft)."""

from __future__ import annotations

import random

from scaffolds.aide.config import SearchConfig
from scaffolds.aide.journal import Journal, Node


def step_rng(seed: int, step: int) -> random.Random:
    """Randomness for one step, derived from (seed, step) so a resumed run makes the same choices."""
    return random.Random(f"aide:{seed}:{step}")


def debuggable_nodes(journal: Journal, max_debug_depth: int) -> list[Node]:
    """Buggy leaves whose debug chain is not too deep. Each buggy node is thus debugged at most once."""
    parents = {n.parent_id for n in journal.nodes if n.parent_id}
    return [
        n for n in journal.buggy_nodes if n.id not in parents and n.debug_depth <= max_debug_depth
    ]


def choose_parent(journal: Journal, config: SearchConfig, rng: random.Random) -> Node | None:
    """Drafts until `num_drafts`; then debug a random buggy leaf with prob. `debug_prob`;
    else improve the best working node (or draft again when none works)."""
    if len(journal.draft_nodes) < config.num_drafts:
        return None
    if rng.random() < config.debug_prob:
        candidates = debuggable_nodes(journal, config.max_debug_depth)
        if candidates:
            return rng.choice(candidates)
    return journal.best_node(only_good=True)


def stage_for(parent: Node | None) -> str:
    if parent is None:
        return "draft"
    return "debug" if parent.is_buggy else "improve"


def debug_depth_for(parent: Node | None) -> int:
    if parent is None or not parent.is_buggy:
        return 0
    return parent.debug_depth + 1
