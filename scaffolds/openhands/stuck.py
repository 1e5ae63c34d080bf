"""Loop detection over the turns of a run.

`repetition` (ours): stuck means the same action gave the same result `repeats` times in a row: the
whole result, exit code included, so polling a log that grows is never a loop. Waiting on background
jobs that are still running is progress (time passes for a reason) and resets the count.

`original`: OpenHands 0.8.3's rule as MLE-bench ran it: the same action `repeats` times with "equal"
results, where two shell results are equal when their exit codes are (the output is not compared), and
the same plain message three times. The run then ends. Its A/B alternation check is not reproduced.
"""

from __future__ import annotations

import re

from scaffolds.openhands.actions import MESSAGE, Action
from scaffolds.openhands.runtime import Observation

ORIGINAL_MESSAGE_REPEATS = 3
# IPython numbers each cell in its tracebacks ("Cell In[7], line 3"): the same failing cell sent again
# reads "Cell In[8]", which must not make a repeat look like progress
_CELL_NUMBER = re.compile(r"Cell In\[\d+\]")


class StuckDetector:
    def __init__(self, mode: str, repeats: int) -> None:
        if mode not in ("repetition", "original", "off"):
            raise ValueError(f"unknown stuck detector mode {mode!r}")
        self.mode, self.repeats = mode, repeats
        self._history: list[tuple[str, str]] = []

    def observe(self, action: Action, obs: Observation) -> str | None:
        """Record one turn; the reason when the run is stuck, else None."""
        if self.mode == "off":
            return None
        if self.mode == "repetition" and obs.waiting:
            self._history.clear()
            return None
        self._history.append((action.signature(), self._result_key(action, obs)))
        needed = ORIGINAL_MESSAGE_REPEATS if self.mode == "original" and action.tool == MESSAGE else self.repeats
        tail = self._history[-needed:]
        if len(tail) < needed or len(set(tail)) != 1:
            return None
        return (f"the same {action.tool} action ({_short(action)}) gave the same result {needed} times in a row")

    def reset(self) -> None:
        """Forget the streak (after the agent was told it is looping)."""
        self._history.clear()

    def _result_key(self, action: Action, obs: Observation) -> str:
        if self.mode == "original" and action.tool == "execute_bash":
            return f"exit={obs.exit_code}"
        return f"exit={obs.exit_code}|error={obs.error}|{_CELL_NUMBER.sub('Cell In[N]', obs.text)}"


def _short(action: Action) -> str:
    main = next((str(v) for v in action.args.values() if isinstance(v, str) and v.strip()), "")
    main = " ".join(main.split())
    return main[:80] + ("..." if len(main) > 80 else "") if main else "no arguments"
