"""One episode, the one way: `run_one(spec) -> RunRecord`.

Every entry point (`python -m bench run`, each scaffold's CLI, the grid runner) builds a `RunSpec` and
calls `run_one`. It resolves the competition, makes sure its data is prepared, builds the agent from
the registry, applies one limits record to the sandbox, the LLM budget and the task, runs the agent,
closes the sandbox, copies the submission out without following links, grades it on the host and
writes `record.json`: the versioned contract that reports and monitors read without importing this
module (its schema is `bench/record.schema.json`).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import platform
import subprocess
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bench.competition import Competition
from bench.data import competition_paths, default_data_dir, is_prepared, prepare, prepare_command
from bench.grade import grade_submission
from bench.registry import get_competition
from bench.snapshots import snapshots_every
from bench.task import TaskPaths, build_task, public_view
from bench.validate import make_validator
from sandbox import Limits, Sandbox, SandboxConfig, open_sandbox
from sandbox.errors import SandboxError, WallTimeExceeded
from scaffolds.core.agent import AgentOptions, AgentResult, AgentStop, get_agent_class
from scaffolds.core.llm import LLM, Budget, LLMError
from scaffolds.core.rundir import RunDir, atomic_write_json, new_run_name, read_json
from scaffolds.core.task import TaskLimits

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
RECORD_FILE = "record.json"
SPEC_FILE = "spec.json"
DEFAULT_MODEL = "local"
MAIN_ROLE = "main"
SUBMISSION_COPY_LIMIT = 4 << 30  # MLE-bench's largest answers are well under this


class RunError(Exception):
    """A run could not start (bad spec, unknown agent, data not prepared, run dir busy): one clear line."""


class RunBusy(RunError):
    """Another process holds the run directory (e.g. a worker of a killed grid still closing its run)."""


@dataclass(frozen=True)
class RunSpec:
    """Everything that defines one episode. Frozen and picklable, so a pool or Ray can ship it."""

    agent: str
    competition: str
    seed: int = 0
    models: tuple[tuple[str, str], ...] = ()  # (role, litellm model); "main" is --model
    api_base: str | None = None
    preset: str | None = None
    overrides: tuple[str, ...] = ()  # agent config overrides "key.sub=value"
    sandbox: str = "auto"
    limits: TaskLimits = field(default_factory=TaskLimits)
    data_dir: str | None = None
    out_dir: str = "runs"
    run_dir: str | None = None  # a fixed run directory (grids, resume); None: a fresh one under out_dir
    obfuscated: bool = False
    resume: bool = False
    snapshot_every_s: float | None = None  # copy the agent's submission this often (score over time)

    @property
    def model_map(self) -> dict[str, str]:
        return dict(self.models)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["models"], data["overrides"] = self.model_map, list(self.overrides)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunSpec:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise RunError(f"unknown run spec field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        raw = dict(data)
        raw["models"] = tuple(sorted(dict(raw.get("models") or {}).items()))
        raw["overrides"] = tuple(raw.get("overrides") or ())
        raw["limits"] = TaskLimits(**(raw.get("limits") or {}))
        return cls(**raw)


@dataclass
class RunRecord:
    """How one episode ended, as written to `record.json` (schema_version 1)."""

    spec: dict[str, Any]
    run_dir: str
    status: str  # "finished": the agent ran and the submission was graded; "error": the harness failed
    reason: str  # the agent's end reason (submitted, time_exceeded, ...) or the error kind
    message: str
    started_at: str
    finished_at: str
    wall_time_s: float
    steps: int = 0
    cost_usd: float = 0.0
    tokens: int = 0
    llm_calls: int = 0
    sandbox_backend: str = ""
    agent_config: dict[str, Any] = field(default_factory=dict)
    limits: dict[str, Any] = field(default_factory=dict)
    grade: dict[str, Any] | None = None
    leaderboard_kind: str = ""
    code_version: str = ""
    host: dict[str, Any] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def read_record(run_dir: Path) -> RunRecord:
    """The record of a finished run; RunError when it is missing or of another schema version."""
    path = Path(run_dir) / RECORD_FILE
    try:
        data = read_json(path)
    except (OSError, ValueError) as exc:
        raise RunError(f"cannot read {path}: {exc}") from None
    if data.get("schema_version") != SCHEMA_VERSION:
        raise RunError(f"{path} has schema_version {data.get('schema_version')!r}; this version reads "
                       f"{SCHEMA_VERSION}")
    return RunRecord(**data)


class LLMFactory:
    """Builds the LLMs of one run: all share its budget, call log and API base; same arguments, same object."""

    def __init__(self, api_base: str | None, budget: Budget, log_path: Path) -> None:
        self.api_base, self.budget, self.log_path = api_base, budget, log_path
        self._made: dict[tuple, LLM] = {}

    def __call__(self, model: str, **kwargs: Any) -> LLM:
        key = (model, tuple(sorted(kwargs.items())))
        if key not in self._made:
            kwargs.setdefault("api_base", self.api_base)
            self._made[key] = LLM(model, budget=self.budget, log_path=self.log_path, **kwargs)
        return self._made[key]


def sandbox_limits(limits: TaskLimits) -> Limits:
    """The sandbox's share of the run's limits; unset memory keeps the sandbox's own default."""
    base = Limits()
    return replace(base, action_timeout_s=limits.action_timeout_s, wall_time_s=limits.wall_time_s,
                   memory_mb=limits.memory_mb or base.memory_mb, cpus=limits.cpus, gpus=limits.gpus)


def task_paths(sandbox: Sandbox) -> TaskPaths:
    """The sandbox's inside paths as the task's instructions state them."""
    p = sandbox.paths
    return TaskPaths(data=str(p.data), submission=f"{p.submission}/submission.csv", code=str(p.code),
                     logs=str(p.logs), validate_url=sandbox.validation_url,
                     validate_script=f"{p.home}/validate_submission.sh")


def code_version() -> str:
    """`git describe` of this checkout (recorded with every run and group), or "unknown"."""
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=Path(__file__).parent,
                             capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return out.stdout.strip() or "unknown"


def _host() -> dict[str, Any]:
    return {"hostname": platform.node(), "platform": platform.platform(), "python": platform.python_version(),
            "cpus": os.cpu_count()}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One process per run directory: a second `run_one` on the same directory stops at once."""
    with open(root / ".run.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunBusy(f"{root} is in use by another process; wait for it or kill it first") from None
        yield


def with_run_dir(spec: RunSpec) -> RunSpec:
    """The spec with its run directory named: a fresh, unique one under `out_dir` unless already set."""
    if spec.run_dir:
        return spec
    if spec.resume:
        raise RunError("resume needs the run directory of the interrupted run (--resume RUN_DIR)")
    name = new_run_name(spec.agent, spec.competition, f"seed{spec.seed}")
    return replace(spec, run_dir=str(Path(spec.out_dir) / name))


def _run_dir(spec: RunSpec) -> RunDir:
    root = Path(with_run_dir(spec).run_dir)
    if spec.resume and not (root / SPEC_FILE).is_file():
        raise RunError(f"{root} is not a run directory to resume (no {SPEC_FILE}); check the path")
    root.mkdir(parents=True, exist_ok=True)
    return RunDir(root)


def resume_spec(run_dir: Path) -> RunSpec:
    """The spec of an interrupted run, marked to continue in place."""
    path = Path(run_dir) / SPEC_FILE
    if not path.is_file():
        raise RunError(f"{run_dir} is not a run directory made by mle-suite (no {SPEC_FILE})")
    try:
        spec = RunSpec.from_dict(read_json(path))
    except (ValueError, TypeError) as exc:
        raise RunError(f"{path} is unreadable ({exc}); the run cannot be resumed") from None
    return replace(spec, run_dir=str(run_dir), resume=True)


def _build_agent(spec: RunSpec, make_llm: LLMFactory, on_event: Callable[[Any], None] | None) -> Any:
    try:
        cls = get_agent_class(spec.agent)
    except (ValueError, ImportError) as exc:
        raise RunError(str(exc)) from None
    if not hasattr(cls, "from_options"):
        return cls()
    options = AgentOptions(preset=spec.preset, overrides=spec.overrides, models=spec.model_map, limits=spec.limits,
                           seed=spec.seed, resume=spec.resume, make_llm=make_llm, on_event=on_event)
    try:
        return cls.from_options(options)
    except (ValueError, LLMError) as exc:  # a bad preset/override/model/key: the user's to fix, before any work
        raise RunError(str(exc)) from None


def public_data(comp: Competition, data_dir: Path) -> Path:
    """The prepared public dir; offline competitions are prepared on the spot, others need `bench prepare`."""
    if not is_prepared(comp, data_dir):
        if comp.source != "package":
            raise RunError(f"data for {comp.id} is not prepared in {data_dir}; run: {prepare_command(comp, data_dir)}")
        log.warning("preparing %s in %s (offline data, no account needed)", comp.id, data_dir)
        prepare(comp, data_dir)
    return competition_paths(comp, data_dir).public


def leaderboard_kind(comp: Competition) -> str:
    """Offline competitions are graded against a reference ladder, never a Kaggle leaderboard."""
    return "reference-ladder" if comp.source == "package" else "kaggle"


def _grade(comp: Competition, submission: Path, data_dir: Path) -> dict[str, Any]:
    report = grade_submission(comp, submission, data_dir)
    return {**report.to_dict(), "message": report.message, "warnings": report.warnings}


def _copy_submission(sandbox: Sandbox, rd: RunDir) -> Path:
    """The workspace's submission as the agent left it, copied without following links (may not exist)."""
    dest = rd.submission
    dest.unlink(missing_ok=True)
    try:
        sandbox.copy_out(f"{sandbox.paths.submission}/submission.csv", dest)
    except (SandboxError, OSError) as exc:  # a missing or refused file is simply "no submission"
        log.info("no submission copied: %s", exc)
    return dest


def _play(agent: Any, spec: RunSpec, sandbox: Sandbox, task: Any, llm: LLM, rd: RunDir) -> AgentResult:
    """Run the agent; stops the agent let escape and sandbox time-outs become ordinary end reasons."""
    try:
        return agent.run(task, sandbox, llm, rd.root)
    except AgentStop as stop:
        return AgentResult(stop.reason, stop.message)
    except WallTimeExceeded as exc:
        return AgentResult("time_exceeded", str(exc))


def run_one(spec: RunSpec, on_event: Callable[[Any], None] | None = None) -> RunRecord:
    """Run one agent on one competition, grade it on the host and write `record.json`.

    Raises `RunError` for problems found before the agent starts. Once it has started, every ending
    (the agent's own, a harness error, Ctrl-C) leaves a `record.json`; Ctrl-C is re-raised after.
    """
    try:
        comp = get_competition(spec.competition)
    except LookupError as exc:
        raise RunError(str(exc)) from None
    data_dir = Path(spec.data_dir) if spec.data_dir else default_data_dir()
    public_data(comp, data_dir)
    # An obfuscated run sees the obfuscated description everywhere, its data dir included.
    public = public_view(comp, data_dir, spec.obfuscated)
    rd = _run_dir(spec)
    with _locked(rd.root):
        return _run_in(spec, comp, data_dir, public, rd, on_event)


def _run_in(spec: RunSpec, comp: Competition, data_dir: Path, public: Path, rd: RunDir,
            on_event: Callable[[Any], None] | None) -> RunRecord:
    atomic_write_json(rd.root / SPEC_FILE, spec.to_dict())
    started, t0 = _now(), time.monotonic()
    budget = Budget()
    make_llm = LLMFactory(spec.api_base, budget, rd.llm_log)
    record = RunRecord(spec=spec.to_dict(), run_dir=str(rd.root), status="error", reason="harness_error",
                       message="", started_at=started, finished_at="", wall_time_s=0.0,
                       code_version=code_version(), host=_host(),
                       leaderboard_kind=leaderboard_kind(comp))
    try:
        agent = _build_agent(spec, make_llm, on_event)
        limits: TaskLimits = getattr(agent, "limits", spec.limits)
        budget.max_cost_usd, budget.max_tokens, budget.max_calls = (limits.max_cost_usd, limits.max_tokens,
                                                                    limits.max_llm_calls)
        record.limits = asdict(limits)
        record.agent_config = agent.config_dict() if hasattr(agent, "config_dict") else {}
        config = SandboxConfig(data_dir=public, workspace=rd.workspace, backend=spec.sandbox,
                               limits=sandbox_limits(limits), validator=make_validator(comp, data_dir))
        with open_sandbox(config) as sandbox:
            record.sandbox_backend = sandbox.backend
            task = build_task(comp, data_dir, limits, obfuscated=spec.obfuscated, paths=task_paths(sandbox))
            task.save(rd.task)
            llm = getattr(agent, "main_llm", None) or make_llm(spec.model_map.get(MAIN_ROLE, DEFAULT_MODEL))
            with snapshots_every(sandbox, rd.root, spec.snapshot_every_s):
                result = _play(agent, spec, sandbox, task, llm, rd)
            submission = _copy_submission(sandbox, rd)
        # Graded after the sandbox is closed: no agent process is left to touch what is graded.
        record.grade = _grade(comp, submission, data_dir)
        record.status, record.reason, record.message, record.steps = ("finished", result.reason, result.message,
                                                                      result.steps)
    except KeyboardInterrupt:
        record.reason, record.message = "interrupted", "interrupted; continue with --resume " + str(rd.root)
        raise
    except RunError as exc:
        record.message = str(exc)
        raise
    except Exception as exc:  # noqa: BLE001 - recorded with its traceback; the caller decides what next
        record.message = f"{type(exc).__name__}: {exc}"
        (rd.root / "error.txt").write_text(traceback.format_exc())
        log.error("run %s failed: %s (traceback in %s)", rd.root, record.message, rd.root / "error.txt")
    finally:
        snap = budget.snapshot()
        record.cost_usd, record.tokens, record.llm_calls = snap["spent_usd"], snap["tokens"], snap["calls"]
        record.finished_at, record.wall_time_s = _now(), round(time.monotonic() - t0, 3)
        atomic_write_json(rd.root / RECORD_FILE, record.to_dict())
    return record


def record_json(record: RunRecord) -> str:
    return json.dumps(record.to_dict(), indent=2, default=str)
