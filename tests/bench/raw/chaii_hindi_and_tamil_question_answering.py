"""Synthetic raw files of chaii-hindi-and-tamil-question-answering: train.csv (id, context,
question, answer_text, answer_start, language), test.csv and sample_submission.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes

QA = [("hindi", "भारत की राजधानी नई दिल्ली है। यह एक बड़ा शहर है।", "भारत की राजधानी क्या है?", "नई दिल्ली"),
      ("tamil", "சென்னை தமிழ்நாட்டின் தலைநகரம் ஆகும்.", "தமிழ்நாட்டின் தலைநகரம் எது?", "சென்னை"),
      ("hindi", "गंगा नदी 2525 किलोमीटर लंबी है।", "गंगा कितनी लंबी है?", "2525 किलोमीटर"),
      ("tamil", "திருவள்ளுவர் திருக்குறளை எழுதினார்.", "திருக்குறளை எழுதியவர் யார்?", "திருவள்ளுவர்")]


def build(n: int = 40) -> dict[str, bytes]:
    rng = np.random.default_rng(19)
    rows = [QA[i] for i in rng.integers(0, len(QA), n)]
    train = pd.DataFrame({"id": [f"{v:09x}" for v in rng.choice(16**9, n, replace=False)],
                          "context": [c for _, c, _, _ in rows], "question": [q for _, _, q, _ in rows],
                          "answer_text": [a for _, _, _, a in rows],
                          "answer_start": [c.index(a) for _, c, _, a in rows], "language": [lang for lang, _, _, _ in rows]})
    test = train[["id", "context", "question", "language"]].iloc[:3].assign(id=["22bff3dec", "282758170", "d60987e0e"])
    sample = pd.DataFrame({"id": test["id"], "PredictionString": "dummy text"})
    return {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample)}


def _with_answers(transform):
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = submission(answers, spec)
        frame["PredictionString"] = [transform(i, v) for i, v in enumerate(frame["PredictionString"])]
        return text_of(frame)

    return case


CASES = {
    "first_word": _with_answers(lambda i, v: v.split()[0]),
    "all_empty": _with_answers(lambda i, v: ""),
    "numbers_only": _with_answers(lambda i, v: str(i)),
}
