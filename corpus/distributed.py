"""The same build on an existing engine: datatrove's local, Slurm and Ray executors.

A distributed build has three parts, each a plain function that knows nothing of
the engine; datatrove only decides where and when they run.

1. ``make_plan`` (the launcher): learn the corpus's boilerplate once
   (``build.learned_steps``, deterministic) and name the run by a key (raw
   folder, its files, the number of tasks, the learned rules, the pipeline's code
   and pinned versions).
2. ``run_task`` (task ``rank`` of ``world_size``): read the raw folder, keep the
   sources whose id is in its share (``int(id, 16) % world_size == rank``: the
   copies of one article, same bytes hence same id, all land in one task, which
   reports them exactly as the local build does; inputs that cannot be read at
   all are reported by task 0 only), run ``executor.process_batch`` over
   batches, and write its rows (a ``writer.Spill``), fingerprints and
   rejections into ``tasks/NNNNN`` of the work folder. The folder is assembled
   as ``tasks/.NNNNN.tmp`` and renamed into place once complete, so a task's
   output is there whole or not at all, and a re-run replaces a crashed run's
   leftovers.
3. ``merge`` (once every task is done): gather the task folders into a
   ``build.Collected`` and call ``build.publish_collected`` inside
   ``writer.publishing``: the published bytes are made by the very code of the
   local build, so ``build()``, ``build_distributed(engine="local")`` and
   ``build_distributed(engine="ray")`` give byte-identical datasets.

``build_distributed`` wires these into datatrove: ``BuildTask`` is the
``PipelineStep`` each datatrove task runs; on local and Ray the launcher merges
when the executor returns; on Slurm the merge is a second, one-task job that
depends on the array job (``MergeTask``), and the call returns the job ids.

The row cache of ``build()`` is not used: each task annotates its share afresh.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

try:
    from datatrove.pipeline.base import PipelineStep
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError("corpus.distributed needs datatrove: pip install 'corpus[distributed]' "
                      "(and 'corpus[ray]' for the Ray engine)") from e

from . import splits
from .build import DROP_CHOICES, Collected, card_of, duplicate_reason, learned_steps, publish_collected
from .cache import pipeline_fingerprint
from .document import Rejected
from .executor import batches, process_batch
from .readers import read_folder
from .writer import Spill, fsync, fsync_tree, publishing, recover

log = logging.getLogger("corpus")

ENGINES = ("local", "ray", "slurm")
PLAN = "plan.json"            # what the work folder was made for
TASKS = "tasks"               # tasks/NNNNN: one complete folder per finished task
ENGINE_LOGS = "datatrove"     # datatrove's logging folders (logs, stats, completion markers)
ROWS = "rows"                 # inside a task folder: the Spill (Arrow IPC buckets by id)
FINGERPRINTS = "fingerprints.jsonl"
REJECTED = "rejected.jsonl"
TASK_INFO = "task.json"       # written last: rank, world size, plan key, counts, seconds


@dataclass(frozen=True)
class Plan:
    """What every task and the merge agree on; picklable (it travels to the workers)."""
    raw: str
    tasks: int
    key: str
    learned: dict
    make_steps: Callable[[], list]
    batch_size: int = 32
    pipeline: str = ""    # the launcher's cache.pipeline_fingerprint(): code, resources, pinned versions


def owner(source_id: str, world_size: int) -> int:
    """The task that builds the article with this id (a hex content hash, so shares are even)."""
    return int(source_id, 16) % world_size


def _raw_listing(raw: Path) -> str:
    """A digest of every file's path, size and modification time: a changed raw folder is a new plan."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(raw):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            st = path.lstat()
            h.update(f"{path.relative_to(raw).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def make_plan(raw: str | os.PathLike, tasks: int, *, learn_sample: int = 5000, batch_size: int = 32) -> Plan:
    """Learn the boilerplate once (as ``build()`` does) and name the run."""
    if tasks < 1:
        raise ValueError("tasks must be at least 1")
    raw = Path(raw).resolve()
    learned, make_steps, learned_key = learned_steps(raw, learn_sample)
    pipeline = _code_fingerprint()
    key = hashlib.sha256(json.dumps({"raw": str(raw), "files": _raw_listing(raw), "tasks": tasks,
                                     "learned": learned_key, "pipeline": pipeline},
                                    sort_keys=True).encode()).hexdigest()
    return Plan(str(raw), tasks, key, learned, make_steps, batch_size, pipeline)


def _code_fingerprint() -> str:
    """``cache.pipeline_fingerprint`` as the files are now (it is cached per process; they may have changed since)."""
    return getattr(pipeline_fingerprint, "__wrapped__", pipeline_fingerprint)()


def _check_node(plan: Plan, what: str) -> None:
    """Byte-identical output needs the same code and pinned versions on every node: refuse to run otherwise."""
    if _code_fingerprint() != plan.pipeline:
        raise RuntimeError(f"{what} runs with other code or package versions than the launcher "
                           f"(corpus.cache.pipeline_fingerprint differs): install the same corpus and pinned "
                           f"packages on every node")


def task_folder(work_dir: str | os.PathLike, rank: int) -> Path:
    return Path(work_dir) / TASKS / f"{rank:05d}"


def _partial_folders(work_dir: Path, rank: int) -> tuple[Path, Path]:
    final = task_folder(work_dir, rank)
    return final.with_name(f".{final.name}.tmp"), final.with_name(f".{final.name}.old")


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


def run_task(plan: Plan, work_dir: str | os.PathLike, rank: int, world_size: int) -> dict:
    """Build task ``rank``'s share into ``work_dir/tasks/NNNNN``; returns what it wrote in task.json."""
    if world_size != plan.tasks or not 0 <= rank < world_size:
        raise ValueError(f"task {rank} of {world_size} does not fit a plan of {plan.tasks} tasks")
    _check_node(plan, f"task {rank}")
    work_dir = Path(work_dir)
    final = task_folder(work_dir, rank)
    tmp, old = _partial_folders(work_dir, rank)
    final.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (tmp, old):  # a crashed run of this task: its partial output goes
        if leftover.exists():
            shutil.rmtree(leftover)
    tmp.mkdir()
    t0 = time.perf_counter()
    steps = plan.make_steps()
    spill = Spill(tmp / ROWS)
    counts: Counter = Counter()
    seconds: Counter = Counter()
    seen: dict[str, str] = {}
    articles = 0
    with open(tmp / FINGERPRINTS, "w", encoding="utf-8") as fingerprints, \
            open(tmp / REJECTED, "w", encoding="utf-8") as rejected:

        def reject(path: str, reason: str) -> None:
            log.warning("rejected %s: %s", path, reason)
            rejected.write(_dumps({"path": path, "reason": reason}))

        def share():
            for item in read_folder(plan.raw):
                if isinstance(item, Rejected):
                    if rank == 0:  # every task reads every file: one reports what cannot be read
                        reject(item.path, item.reason)
                    continue
                if owner(item.id, world_size) != rank:
                    continue
                counts["sources read"] += 1
                # the same bytes twice are one article; both copies are in this task, met in read order
                if item.id in seen:
                    reject(item.path, duplicate_reason(seen[item.id], item.id))
                    continue
                seen[item.id] = item.path
                counts["annotated"] += 1
                yield item

        for batch in batches(share(), plan.batch_size):
            result = process_batch(batch, steps)
            seconds.update(result.seconds)
            for src, value in result.done:
                if "rejected" in value:
                    reject(src.path, value["rejected"])
                    continue
                row = value["row"]
                spill.add(row)
                articles += 1
                exact, signature = value["fingerprint"]
                published = row["published"]
                fingerprints.write(_dumps({"id": row["id"], "outlet": row["outlet"]["id"],
                                           "published": published.isoformat() if hasattr(published, "isoformat") else published,
                                           "mentions": len(row["entities"]), "exact": exact, "signature": signature.hex()}))
    spill.close()
    seconds["tasks, summed (wall)"] = time.perf_counter() - t0
    info = {"rank": rank, "world_size": world_size, "plan": plan.key, "articles": articles,
            "counts": dict(sorted(counts.items())), "seconds": {k: round(v, 3) for k, v in sorted(seconds.items())}}
    (tmp / TASK_INFO).write_text(_dumps(info), encoding="utf-8")
    fsync_tree(tmp)
    # commit: the complete folder takes the place of any earlier output of this task
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    fsync(final.parent)
    if old.exists():
        shutil.rmtree(old)
    return info


def collect(plan: Plan, work_dir: str | os.PathLike) -> Collected:
    """Every task's output as one ``Collected``; fails naming the tasks that are missing or stale."""
    folders = [task_folder(work_dir, r) for r in range(plan.tasks)]
    missing = [r for r, f in enumerate(folders) if not (f / TASK_INFO).is_file()]
    if missing:
        raise RuntimeError(f"task(s) {missing} of {plan.tasks} have no output in {Path(work_dir) / TASKS}: "
                           f"they failed or have not run (their logs: {Path(work_dir) / ENGINE_LOGS}); run the "
                           f"build again with resume=True (--resume) to run only those; nothing was published")
    c = Collected(spills=[f / ROWS for f in folders], learned=plan.learned)
    for rank, folder in enumerate(folders):
        info = json.loads((folder / TASK_INFO).read_text(encoding="utf-8"))
        if (info["plan"], info["rank"], info["world_size"]) != (plan.key, rank, plan.tasks):
            raise RuntimeError(f"{folder} was made by another run (other raw files, code, or number of tasks); "
                               f"build again without resume; nothing was published")
        c.counts.update(info["counts"])
        c.seconds.update(info["seconds"])
        with open(folder / FINGERPRINTS, encoding="utf-8") as f:
            for fp in map(json.loads, f):
                if fp["id"] in c.items:  # each id has one owner: a second copy means mixed-up outputs
                    raise RuntimeError(f"article {fp['id']} was built by two tasks; build again without resume")
                c.add_item(fp["id"], fp["outlet"], fp["published"], fp["mentions"],
                           (fp["exact"], bytes.fromhex(fp["signature"])))
        with open(folder / REJECTED, encoding="utf-8") as f:
            c.rejected.extend(Rejected(r["path"], r["reason"]) for r in map(json.loads, f))
    return c


def merge(plan: Plan, work_dir: str | os.PathLike, out: str | os.PathLike, *, drop: str = "none",
          keep_work: bool = False, seconds: dict | None = None) -> dict:
    """Publish the tasks' output into ``out`` with the local build's own writing code; returns the report.

    ``seconds``: the launcher's own timings, added to build_timings.json (never to the reproducible files).
    """
    _check_node(plan, "the merge")
    t0 = time.perf_counter()
    collected = collect(plan, work_dir)
    collected.seconds.update(seconds or {})
    collected.seconds["collect task outputs"] = time.perf_counter() - t0
    out = Path(out)
    recover(out)
    # the release being replaced: its card's hand-written parts and its split assignment carry over, as in build()
    previous_card, previous_splits = card_of(out), splits.previous_assignment(out)
    with publishing(out) as tmp:
        report = publish_collected(tmp, collected, raw=plan.raw, drop=drop, previous=previous_card,
                                   previous_splits=previous_splits)
    if not keep_work:  # the rows are the bulk of the work folder; the engine's logs stay for the caller to remove
        shutil.rmtree(Path(work_dir) / TASKS)
    return report


def clean_work(work_dir: str | os.PathLike) -> None:
    """Remove what a distributed build put in the work folder (the folder too, if then empty)."""
    work_dir = Path(work_dir)
    for name in (TASKS, ENGINE_LOGS):
        if (work_dir / name).exists():
            shutil.rmtree(work_dir / name)
    (work_dir / PLAN).unlink(missing_ok=True)
    if work_dir.exists() and not any(work_dir.iterdir()):
        work_dir.rmdir()


class BuildTask(PipelineStep):
    """The datatrove step: task ``rank`` of ``world_size`` runs ``run_task``. It passes documents through."""
    name = "corpus build task"
    type = "corpus"

    def __init__(self, plan: Plan, work_dir: str | os.PathLike):
        super().__init__()
        self.plan = plan
        self.work_dir = str(work_dir)

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        if data:
            yield from data
        with self.track_time(unit="task"):
            info = run_task(self.plan, self.work_dir, rank, world_size)
        self.stat_update("articles", value=info["articles"], unit="task")
        self.stat_update("sources read", value=info["counts"].get("sources read", 0), unit="task")


class MergeTask(PipelineStep):
    """The datatrove step of the one-task merge job (Slurm): ``merge`` once all build tasks are done.

    Unless ``keep_work``, it removes the task outputs but not the engine's logs (Slurm is still writing them)."""
    name = "corpus merge"
    type = "corpus"

    def __init__(self, plan: Plan, work_dir: str | os.PathLike, out: str | os.PathLike, drop: str = "none",
                 keep_work: bool = False):
        super().__init__()
        self.plan, self.work_dir, self.out, self.drop, self.keep_work = plan, str(work_dir), str(out), drop, keep_work

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        if data:
            yield from data
        report = merge(self.plan, self.work_dir, self.out, drop=self.drop, keep_work=self.keep_work)
        self.stat_update("articles", value=report["articles"], unit="build")


def default_work_dir(out: str | os.PathLike) -> Path:
    out = Path(out)
    return out.with_name(f".{out.name}.work")


def _prepare_work_dir(work_dir: Path, plan: Plan, resume: bool) -> None:
    plan_file = work_dir / PLAN
    if resume:
        if not plan_file.exists():
            raise RuntimeError(f"nothing to resume in {work_dir}: build without resume")
        recorded = json.loads(plan_file.read_text(encoding="utf-8"))
        if recorded.get("key") != plan.key:
            raise RuntimeError(f"{work_dir} was made for another run (other raw files, code, or number of tasks): "
                               f"build without resume")
        return
    clean_work(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    plan_file.write_text(_dumps({"raw": plan.raw, "tasks": plan.tasks, "key": plan.key}), encoding="utf-8")


def build_distributed(raw: str | os.PathLike = "data/raw", out: str | os.PathLike = "data/dataset", *,
                      engine: str = "local", tasks: int | None = None, workers: int | None = None,
                      work_dir: str | os.PathLike | None = None, batch_size: int = 32, drop: str = "none",
                      learn_sample: int = 5000, resume: bool = False, keep_work: bool = False,
                      **engine_options) -> dict:
    """Build ``raw`` into ``out`` as ``tasks`` datatrove tasks, ``workers`` of them at once.

    engine: ``local`` (datatrove's LocalPipelineExecutor: processes on this machine),
    ``ray`` (RayPipelineExecutor; joins the Ray cluster this process is connected to, or
    starts one: ``ray_address=...`` and ``ray_init={...}`` are passed to ``ray.init``) or
    ``slurm`` (SlurmPipelineExecutor: submits an array job and a dependent merge job;
    ``partition`` and ``time`` are required, ``merge_options={...}`` overrides options for
    the merge job). Other ``engine_options`` go to the executor (e.g. ``cpus_per_task``,
    ``mem_per_cpu_gb``, ``venv_path``).

    work_dir: shared by the launcher and every task (on a cluster: a shared filesystem);
    default ``.<out>.work`` beside ``out``. Its contents belong to the build: they are
    replaced at the start (unless ``resume``) and removed after publication (unless
    ``keep_work``; on Slurm the engine's logs stay). ``resume=True`` runs only the tasks
    that have not finished.

    Returns the build report, as ``build()`` does; for Slurm, which runs later,
    ``{"engine": "slurm", "work_dir": ..., "jobs": {"tasks": id, "merge": id}}``.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}")
    if drop not in DROP_CHOICES:
        raise ValueError(f"drop must be one of {DROP_CHOICES}")
    if engine == "slurm" and not {"partition", "time"} <= set(engine_options):
        raise ValueError("the slurm engine needs the options partition and time (e.g. --option partition=cpu "
                         "--option time=04:00:00)")
    out = Path(out).resolve()
    work_dir = Path(work_dir).resolve() if work_dir else default_work_dir(out)
    for folder, what in ((Path(raw).resolve(), "the raw folder"), (out, "the output folder")):
        if work_dir == folder or work_dir.is_relative_to(folder) or folder.is_relative_to(work_dir):
            raise ValueError(f"the work folder {work_dir} must be apart from {what} {folder}")
    tasks = tasks or workers or os.cpu_count() or 1
    recover(out)
    t0 = time.perf_counter()
    plan = make_plan(raw, tasks, learn_sample=learn_sample, batch_size=batch_size)
    learn_seconds = time.perf_counter() - t0
    _prepare_work_dir(work_dir, plan, resume)
    step = BuildTask(plan, work_dir)
    logs = work_dir / ENGINE_LOGS
    common = dict(tasks=tasks, workers=workers or -1, skip_completed=resume)

    if engine == "slurm":
        from datatrove.executor import SlurmPipelineExecutor

        merge_options = engine_options.pop("merge_options", {})
        job_name = engine_options.pop("job_name", "corpus-build")
        tasks_job = SlurmPipelineExecutor([step], **common, job_name=job_name, logging_dir=str(logs / "tasks"),
                                          **engine_options)
        merge_job = SlurmPipelineExecutor([MergeTask(plan, work_dir, out, drop, keep_work)],
                                          **{**engine_options, "tasks": 1, "workers": -1, "skip_completed": False,
                                             "cpus_per_task": 1, "job_name": f"{job_name}-merge",
                                             "logging_dir": str(logs / "merge"), "depends": tasks_job,
                                             **merge_options})
        merge_job.run()  # submits the array job first, then the merge with an afterok dependency on it
        return {"engine": "slurm", "work_dir": str(work_dir), "jobs": {"tasks": tasks_job.job_id, "merge": merge_job.job_id}}

    t0 = time.perf_counter()
    if engine == "local":
        from datatrove.executor import LocalPipelineExecutor

        LocalPipelineExecutor([step], **common, logging_dir=str(logs / "tasks"), **engine_options).run()
    else:
        _run_on_ray([step], common, str(logs / "tasks"), engine_options)
    seconds = {"learn boilerplate": learn_seconds, "tasks (wall)": time.perf_counter() - t0}
    report = merge(plan, work_dir, out, drop=drop, keep_work=keep_work, seconds=seconds)
    if not keep_work:
        clean_work(work_dir)
    return {**report, "engine": engine, "tasks": tasks}


def _run_on_ray(pipeline: list, common: dict, logging_dir: str, engine_options: dict) -> None:
    try:
        import ray
    except ImportError as e:
        raise ImportError("the ray engine needs Ray: pip install 'corpus[ray]'") from e
    from datatrove.executor import RayPipelineExecutor

    address = engine_options.pop("ray_address", None)
    init = dict(engine_options.pop("ray_init", {}))
    if address is None and not os.environ.get("RAY_ADDRESS"):
        init.setdefault("include_dashboard", False)  # a cluster of our own (an existing one refuses the option)
    started = not ray.is_initialized()
    if started:
        ray.init(address=address, **init)
    try:
        RayPipelineExecutor(pipeline, **common, logging_dir=logging_dir, **engine_options).run()
    finally:
        if started:
            ray.shutdown()
