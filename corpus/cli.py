"""``corpus``: a thin command line over the library (build, validate, evaluate)."""
from __future__ import annotations

import json
import logging
import sys

import click

from . import build as build_api
from .validate import validate_dataset
from .standoff import rehydrate_command, standoff_command
from .viewer import show


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log every rejected input as it happens.")
def main(verbose: bool) -> None:
    """Turn raw news articles into an annotated, validated Parquet dataset."""
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, format="%(levelname)s %(message)s")


@main.command()
@click.option("--raw", default="data/raw", show_default=True, type=click.Path(exists=True, file_okay=False),
              help="Folder of raw articles: *.txt dumps, *.jsonl, *.html[.gz], *.warc[.gz]; metadata in "
                   "manifest.jsonl or <file>.meta.json sidecars.")
@click.option("--out", default="data/dataset", show_default=True, type=click.Path(file_okay=False),
              help="Published dataset folder; replaced atomically.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores].")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True)
@click.option("--no-cache", is_flag=True, help="Annotate every article again, ignoring the row cache beside OUT.")
@click.option("--drop", type=click.Choice(["none", "exact", "near"]), default="none", show_default=True,
              help="Duplicates are always marked; also leave out exact copies, or all but one of each near-duplicate cluster.")
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: when stderr is a terminal].")
@click.option("--standoff", type=click.Path(file_okay=False), default=None,
              help="Also write a text-free release (offsets and hashes, no publisher text) into this folder.")
def build(raw: str, out: str, workers: int | None, batch_size: int, no_cache: bool, drop: str, progress: bool | None,
          standoff: str | None) -> None:
    """Build the dataset from RAW into OUT."""
    if progress is None:
        progress = sys.stderr.isatty()
    try:
        report = build_api(raw, out, workers=workers, batch_size=batch_size, cache=not no_cache, drop=drop,
                           progress=progress, standoff=standoff)
    except RuntimeError as e:
        raise click.ClickException(str(e)) from None
    t = report["timings"]
    click.echo(f"built {report['articles']} articles into {out} "
               f"({t['articles_annotated']} annotated, {t['articles_from_cache']} from cache, "
               f"{len(report['rejected'])} rejected, {report['exact_duplicates']} exact duplicates, "
               f"{report['near_duplicate_clusters']} near-duplicate clusters)")
    for r in report["rejected"]:
        click.echo(f"rejected {r['path']}: {r['reason']}", err=True)


@main.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False))
@click.option("--raw", type=click.Path(exists=True, file_okay=False),
              help="Raw folder: also check source hashes and that every source character is kept or removed.")
def validate(dataset: str, raw: str | None) -> None:
    """Check DATASET against the contract; exit 1 naming each bad row and field."""
    report = validate_dataset(dataset, raw)
    for e in report.errors:
        click.echo(e, err=True)
    if not report.ok:
        click.echo(f"INVALID: {len(report.errors)} problem(s) in {report.files} file(s)", err=True)
        sys.exit(1)
    click.echo(f"ok: {report.articles} articles ({report.rows} rows in {report.files} files) match the contract")


@main.command()
@click.option("--dataset", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--gold", required=True, type=click.Path(exists=True, file_okay=False), help="Folder of *.gold.json files.")
@click.option("--raw", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Folder(s) with the raw files the gold names (default: the gold folder).")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
def evaluate(dataset: str, gold: str, raw: tuple[str, ...], as_json: bool) -> None:
    """Score DATASET against gold annotations."""
    from .evaluate import evaluate as run

    result = run(dataset, gold, list(raw))
    if as_json:
        click.echo(json.dumps(result, indent=1))
        return
    for k, v in result.items():
        click.echo(f"{k:24} {v}")

@main.command("diff")
@click.argument("old", type=click.Path(exists=True, file_okay=False))
@click.argument("new", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
def diff_command(old: str, new: str, as_json: bool) -> None:
    """What changed from the OLD build of a dataset to the NEW one."""
    from .diff import diff, render

    result = diff(old, new)
    click.echo(json.dumps(result, indent=1) if as_json else render(result))


@main.command("build-distributed")
@click.option("--raw", default="data/raw", show_default=True, type=click.Path(exists=True, file_okay=False),
              help="Folder of raw articles (as for `corpus build`).")
@click.option("--out", default="data/dataset", show_default=True, type=click.Path(file_okay=False),
              help="Published dataset folder; replaced atomically, byte-identical to what `corpus build` makes.")
@click.option("--engine", type=click.Choice(["local", "ray", "slurm"]), default="local", show_default=True,
              help="datatrove executor: processes on this machine, a Ray cluster, or Slurm jobs.")
@click.option("--tasks", type=click.IntRange(min=1), default=None, help="Tasks the corpus is split into [default: --workers, else all cores].")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Tasks running at once [default: all tasks].")
@click.option("--work-dir", type=click.Path(file_okay=False), default=None,
              help="Folder the tasks write into; shared by every node [default: .OUT.work beside OUT].")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True)
@click.option("--drop", type=click.Choice(["none", "exact", "near"]), default="none", show_default=True,
              help="As for `corpus build`.")
@click.option("--resume", is_flag=True, help="Run only the tasks that have not finished, then publish.")
@click.option("--keep-work", is_flag=True, help="Keep the task outputs and engine logs after publishing.")
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE",
              help="Engine option, repeatable; VALUE is read as JSON when it parses. E.g. partition=cpu "
                   "time=02:00:00 venv_path=.venv/bin/activate (slurm), ray_address=auto (ray), cpus_per_task=2.")
def build_distributed(raw: str, out: str, engine: str, tasks: int | None, workers: int | None, work_dir: str | None,
                      batch_size: int, drop: str, resume: bool, keep_work: bool, options: tuple[str, ...]) -> None:
    """Build RAW into OUT as datatrove tasks on ENGINE (see docs/distributed.md)."""
    engine_options = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{option!r} is not KEY=VALUE", param_hint="--option")
        try:
            engine_options[key] = json.loads(value)
        except json.JSONDecodeError:
            engine_options[key] = value
    try:
        from .distributed import build_distributed as run

        report = run(raw, out, engine=engine, tasks=tasks, workers=workers, work_dir=work_dir, batch_size=batch_size,
                     drop=drop, resume=resume, keep_work=keep_work, **engine_options)
    except (RuntimeError, ImportError, TypeError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    if "jobs" in report:
        click.echo(f"submitted Slurm job {report['jobs']['tasks']} (tasks) and {report['jobs']['merge']} "
                   f"(merge into {out}, once the tasks succeed); work folder {report['work_dir']}")
        return
    click.echo(f"built {report['articles']} articles into {out} with {engine} ({report['tasks']} tasks; "
               f"{len(report['rejected'])} rejected, {report['exact_duplicates']} exact duplicates, "
               f"{report['near_duplicate_clusters']} near-duplicate clusters)")
    for r in report["rejected"]:
        click.echo(f"rejected {r['path']}: {r['reason']}", err=True)


main.add_command(show)
main.add_command(standoff_command)
main.add_command(rehydrate_command)

if __name__ == "__main__":
    main()
