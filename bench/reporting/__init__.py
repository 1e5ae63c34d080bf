"""Reports over run groups (`python -m bench report runs/GROUP [more groups]`).

Reads only `group.json`, each run's `record.json`, attempt log and submission snapshots (see
`bench.group`), never the runner: MLE-bench's grading reports, medals with mean ± SEM over seeds,
pass@k, cost, per-competition tables, score over time, figures and a disclosure block.
"""
