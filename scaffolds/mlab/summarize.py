"""The fast model's reading jobs: summarising a long observation in chunks, and Understand File.

Both split the text, ask the fast model about each part, and merge the answers with one more call
when there is more than one part. Caps on the number of parts are MLE-bench's fork's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scaffolds.core.llm import Message
from scaffolds.mlab import prompts

if TYPE_CHECKING:
    from scaffolds.core.llm import ChatResult

AskFast = Callable[[list[Message]], "ChatResult"]


def _ask(ask: AskFast, prompt: str) -> str:
    return (ask([Message.user(prompt)]).text or "").strip()


def summarize_observation(ask: AskFast, step_text: str, observation: str, chunk_chars: int,
                          max_chunks: int) -> str:
    """A summary of `observation` (the result of the step written in `step_text`)."""
    chunks = [observation[i:i + chunk_chars] for i in range(0, len(observation), chunk_chars)]
    parts = []
    for index, chunk in enumerate(chunks[:max_chunks]):
        start = index * chunk_chars + 1
        parts.append(_ask(ask, prompts.text("summary_chunk", step=step_text, start=start,
                                            end=start + len(chunk), chunk=chunk)))
    if len(chunks) > max_chunks:
        parts.append(prompts.text("summary_cut", max_chunks=max_chunks))
    if len(parts) == 1:
        return parts[0]
    segments = "\n\n".join(f"Segment {i}:\n\n{part}" for i, part in enumerate(parts))
    return _ask(ask, prompts.text("summary_merge", step=step_text, segments=segments))


@dataclass(frozen=True)
class Block:
    text: str
    first_line: int
    last_line: int
    first_char: int


def file_blocks(content: str, block_chars: int) -> list[Block]:
    """Consecutive runs of whole lines of at most `block_chars` characters; a longer line is split."""
    blocks: list[Block] = []
    current: list[str] = []
    first = last = size = start = position = 0
    for number, line in enumerate(content.split("\n"), start=1):
        for piece in [line[i:i + block_chars] for i in range(0, len(line), block_chars)] or [""]:
            if current and size + len(piece) + 1 > block_chars:
                blocks.append(Block("\n".join(current), first, last, start))
                current, size = [], 0
            if not current:
                first, start = number, position
            current.append(piece)
            size += len(piece) + 1
            position += len(piece) + 1
            last = number
    if current:
        blocks.append(Block("\n".join(current), first, last, start))
    return blocks


def understand_file(ask: AskFast, content: str, things: str, block_chars: int, max_blocks: int) -> str:
    """What the fast model finds in `content` about `things`."""
    blocks = file_blocks(content, block_chars)
    answers = []
    for block in blocks[:max_blocks]:
        answers.append(_ask(ask, prompts.text(
            "understand_block", first_line=block.first_line, last_line=block.last_line,
            first_char=block.first_char, last_char=block.first_char + len(block.text), block=block.text,
            things=things)))
    if len(blocks) > max_blocks:
        answers.append(prompts.text("understand_cut", blocks=max_blocks))
    if len(answers) == 1:
        return answers[0]
    segments = "\n\n".join(f"Segment {i}:\n\n{answer}" for i, answer in enumerate(answers))
    return _ask(ask, prompts.text("understand_merge", things=things, segments=segments))
