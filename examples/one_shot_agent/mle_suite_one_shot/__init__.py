"""A one-shot agent: ask the model for a complete script once, run it, check the submission.

The smallest useful agent against mle-suite's contract: `run(task, sandbox, llm, run_dir) -> AgentResult`.
Everything it does goes through the `Sandbox` (files, scripts, validation) and the `LLM` it is given, so it
runs unchanged under docker, bwrap or local isolation and with any model.
"""

from __future__ import annotations

import re
from pathlib import Path

from scaffolds.core.agent import AgentResult
from scaffolds.core.llm import Message

CODE_BLOCK = re.compile(r"```(?:python)?\n(.*?)```", re.DOTALL)
SCRIPT = "code/solution.py"


class OneShotAgent:
    name = "one-shot"

    def run(self, task, sandbox, llm, run_dir: Path) -> AgentResult:
        prompt = (f"{task.prompt_text()}\n\nWrite one complete Python script that trains a model on the data "
                  f"and writes the submission file. Reply with the script in a single ```python block.")
        reply = llm.chat([Message.user(prompt)])
        match = CODE_BLOCK.search(reply.text)
        if match is None:
            return AgentResult("no_code", "the model's reply held no ```python block", steps=1)
        sandbox.write_file(SCRIPT, match.group(1))
        result = sandbox.run_script(SCRIPT)
        (run_dir / "output.txt").write_text(result.output)
        check = sandbox.validate()
        return AgentResult("submitted" if check.valid else "invalid_submission", check.message, steps=1)
