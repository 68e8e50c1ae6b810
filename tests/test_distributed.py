"""Distributed builds (datatrove's local, Ray and Slurm executors) publish the bytes of the local build."""
import hashlib
import json
import os
import re
import shutil
import signal

import pytest

pytest.importorskip("datatrove")

from corpus import build  # noqa: E402
from corpus import distributed  # noqa: E402
from corpus.build import TIMINGS  # noqa: E402
from corpus.distributed import build_distributed, make_plan, owner, task_folder  # noqa: E402
from conftest import article  # noqa: E402

BUDGET = [
    "Les députés ont adopté mardi soir, après trois jours de débats tendus, la première partie du projet de loi "
    "de finances pour l'année prochaine, par 289 voix contre 251.",
    "Le ministre de l'Économie a salué « un texte de responsabilité » qui doit ramener le déficit public sous la "
    "barre des 5 % du produit intérieur brut, tandis que l'opposition dénonce des économies faites sur le dos des "
    "collectivités locales.",
    "Les groupes de gauche ont annoncé le dépôt d'une motion de censure si le gouvernement recourait à l'article "
    "49.3 pour la seconde partie du texte, consacrée aux dépenses.",
]
PENSIONS = [
    "Le Sénat a voté jeudi un amendement qui repousse à 2030 l'entrée en vigueur de la réforme des retraites "
    "complémentaires, contre l'avis du gouvernement.",
    "« Nous avons entendu les partenaires sociaux », a déclaré le rapporteur de la commission des affaires "
    "sociales, qui juge le calendrier initial intenable pour les caisses.",
    "La ministre du Travail a indiqué qu'elle demanderait une seconde délibération lors de l'examen du texte en "
    "commission mixte paritaire, prévue le mois prochain à Paris.",
]
ARTICLES = {
    "budget.txt": article("Budget : l'Assemblée adopte la partie recettes", *BUDGET),
    # the same wire copy under another headline: an exact duplicate by body
    "budget-reprise.txt": article("Les députés votent les recettes du budget", *BUDGET),
    "retraites.txt": article("Retraites : le Sénat repousse la réforme des complémentaires", *PENSIONS),
    # a lightly edited copy: a near duplicate
    "retraites-bis.txt": article("Le Sénat retarde la réforme des retraites complémentaires",
                                 *PENSIONS[:2], PENSIONS[2].replace("le mois prochain", "dans trois semaines")),
    "lyon.txt": article(
        "Municipales : à Lyon, la majorité sortante présente sa liste",
        "La maire sortante de Lyon a dévoilé samedi les noms de sa liste pour les élections municipales de mars, "
        "mêlant élus du conseil actuel et figures associatives des quartiers.",
        "Face à elle, le candidat de la droite promet de « remettre la sécurité au cœur du mandat » et a reçu le "
        "soutien de plusieurs anciens adjoints."),
    "europe.txt": article(
        "Bruxelles : Paris et Berlin proposent un fonds commun pour l'industrie",
        "La France et l'Allemagne ont présenté lundi à Bruxelles une proposition commune de fonds européen destiné "
        "à soutenir les industries de la transition énergétique.",
        "Plusieurs États du Nord se montrent réservés et réclament des garanties sur le financement, qui reposerait "
        "en partie sur un nouvel emprunt commun."),
}
ARTICLES["lyon-copie.txt"] = ARTICLES["lyon.txt"]   # same bytes: reported as a duplicate of lyon.txt
DATES = {"budget.txt": "2024-10-22", "budget-reprise.txt": "2024-10-23", "retraites.txt": "2024-11-14",
         "retraites-bis.txt": "2024-11-14", "lyon.txt": "2025-01-11", "europe.txt": "2025-02-03"}


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    folder = tmp_path_factory.mktemp("distributed") / "raw"
    folder.mkdir()
    for name, data in ARTICLES.items():
        (folder / name).write_bytes(data)
    (folder / "latin1.txt").write_bytes("Titre\n\nÉté à Paris".encode("latin-1"))  # rejected by the reader
    (folder / "manifest.jsonl").write_text(
        "".join(json.dumps({"path": name, "language": "fr", **({"published": DATES[name]} if name in DATES else {})}) + "\n"
                for name in sorted(ARTICLES)), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def plain(raw, tmp_path_factory):
    """The local build, the reference every engine must match byte for byte."""
    out = tmp_path_factory.mktemp("plain") / "dataset"
    build(raw, out, workers=1, cache=False)
    return out


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != TIMINGS)


def assert_identical(expected, actual):
    assert _files(actual) == _files(expected)
    for name in _files(expected):
        assert (actual / name).read_bytes() == (expected / name).read_bytes(), f"{name} differs"


def test_the_corpus_exercises_what_the_merge_must_get_right(raw, plain):
    report = json.loads((plain / "build_report.json").read_text())
    reasons = {r["path"]: r["reason"] for r in report["rejected"]}
    assert "not valid UTF-8" in reasons["latin1.txt"]
    assert reasons["lyon.txt"].startswith("duplicate of lyon-copie.txt")
    assert report["articles"] == 6 and report["exact_duplicates"] >= 1 and report["near_duplicate_clusters"] >= 1
    # both tasks get articles, and each duplicate pair is split between them, so that the merge must join them
    ids = {name: hashlib.sha256(data).hexdigest()[:16] for name, data in ARTICLES.items()}  # Source.id
    assert {owner(i, 2) for i in ids.values()} == {0, 1}
    assert owner(ids["budget.txt"], 2) != owner(ids["budget-reprise.txt"], 2)
    assert owner(ids["retraites.txt"], 2) != owner(ids["retraites-bis.txt"], 2)


def test_datatrove_local_executor_publishes_the_bytes_of_the_local_build(raw, plain, tmp_path):
    out, work = tmp_path / "dataset", tmp_path / "work"
    report = build_distributed(raw, out, engine="local", tasks=2, workers=2, work_dir=work)
    assert_identical(plain, out)
    assert report["articles"] == 6
    timings = json.loads((out / TIMINGS).read_text())
    assert timings["articles_annotated"] == 6 and "tasks (wall)" in timings["seconds"]
    assert not work.exists()  # the work folder is removed once published


def test_ray_publishes_the_bytes_of_the_local_build(raw, plain, tmp_path):
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=80 * 1024 ** 2, log_to_driver=False,
             configure_logging=False)
    try:
        build_distributed(raw, tmp_path / "ray", engine="ray", tasks=2, workers=2, work_dir=tmp_path / "work",
                          mem_per_cpu_gb=1)
    finally:
        ray.shutdown()
    assert_identical(plain, tmp_path / "ray")


class Crash(Exception):
    pass


def test_a_crashed_tasks_partial_output_is_replaced_when_it_runs_again(raw, plain, tmp_path, monkeypatch):
    out, work = tmp_path / "dataset", tmp_path / "work"
    real = distributed.process_batch
    calls = []

    def crash_in_task_1(batch, steps):  # task 1 dies after writing its first article
        calls.append(batch)
        if owner(batch[0].id, 2) == 1 and sum(owner(b[0].id, 2) == 1 for b in calls) == 2:
            raise Crash("killed")
        return real(batch, steps)

    monkeypatch.setattr(distributed, "process_batch", crash_in_task_1)
    # workers=1: datatrove runs the tasks one after the other in this process (task 0, then 1)
    with pytest.raises(Crash):
        build_distributed(raw, out, engine="local", tasks=2, workers=1, batch_size=1, work_dir=work)
    partial = work / "tasks" / ".00001.tmp"
    assert task_folder(work, 0).is_dir() and not task_folder(work, 1).exists() and partial.is_dir()
    assert len((partial / "fingerprints.jsonl").read_text().splitlines()) == 1 and not (partial / "task.json").exists()
    assert not out.exists()
    done = (task_folder(work, 0) / "task.json").stat().st_mtime_ns

    monkeypatch.setattr(distributed, "process_batch", real)
    build_distributed(raw, out, engine="local", tasks=2, workers=1, batch_size=1, work_dir=work, resume=True,
                      keep_work=True)
    assert_identical(plain, out)
    assert (task_folder(work, 0) / "task.json").stat().st_mtime_ns == done  # the finished task did not run again
    assert sorted(p.name for p in (work / "tasks").iterdir()) == ["00000", "00001"]  # nothing partial is left


def test_a_task_run_again_replaces_its_complete_output_and_stale_output_is_refused(raw, plain, tmp_path):
    work = tmp_path / "work"
    plan = make_plan(raw, 2)
    for rank in (0, 1):
        distributed.run_task(plan, work, rank, 2)
    first = (task_folder(work, 1) / "fingerprints.jsonl").read_bytes()
    distributed.run_task(plan, work, 1, 2)  # e.g. a Slurm requeue after the task had finished
    assert (task_folder(work, 1) / "fingerprints.jsonl").read_bytes() == first
    distributed.merge(plan, work, tmp_path / "dataset", keep_work=True)
    assert_identical(plain, tmp_path / "dataset")

    other = make_plan(raw, 3)  # another run's plan must not publish these outputs
    with pytest.raises(RuntimeError, match="have no output"):
        distributed.merge(other, work, tmp_path / "other")
    shutil.copytree(task_folder(work, 1), task_folder(work, 2))
    with pytest.raises(RuntimeError, match="made by another run"):
        distributed.merge(other, work, tmp_path / "other")
    assert not (tmp_path / "other").exists()


def test_a_node_with_other_code_or_versions_refuses_to_run(raw, tmp_path, monkeypatch):
    plan = make_plan(raw, 2)
    monkeypatch.setattr(distributed, "pipeline_fingerprint", lambda: "another install")
    with pytest.raises(RuntimeError, match="other code or package versions"):
        distributed.run_task(plan, tmp_path / "work", 0, 2)
    assert not task_folder(tmp_path / "work", 0).exists()


def test_slurm_submits_the_tasks_then_a_dependent_merge_that_publishes_the_same_bytes(raw, plain, tmp_path, monkeypatch):
    """sbatch is faked; the submitted jobs are then run as Slurm would, from the pickles they name."""
    import dill
    import datatrove.executor.slurm as slurm

    submitted = []

    def sbatch(script, job_id_retriever, *args):
        submitted.append((script, args))
        return str(100 + len(submitted))

    monkeypatch.setattr(slurm, "launch_slurm_job", sbatch)
    monkeypatch.setattr(slurm, "expand_slurm_nodelist", lambda nodelist: [nodelist])
    out, work = tmp_path / "dataset", tmp_path / "work"
    result = build_distributed(raw, out, engine="slurm", tasks=2, work_dir=work, partition="cpu", time="01:00:00")
    assert result["jobs"] == {"tasks": "101", "merge": "103"}
    jobs = [(re.search(r"launch_pickled_pipeline (\S+)", s), s, a) for s, a in submitted]
    (tasks_job, tasks_script, _), (merge_job, merge_script, merge_args) = [j for j in jobs if j[0]]
    assert "#SBATCH --array=0-1" in tasks_script and "#SBATCH --partition=cpu" in tasks_script
    assert "--dependency=afterok:101" in merge_args
    assert not out.exists()  # nothing is published before the merge job runs

    handler = signal.getsignal(signal.SIGUSR1)  # datatrove installs a requeue handler in the job
    monkeypatch.setenv("SLURM_NODELIST", "node1")
    try:
        for job, ranks in ((tasks_job, (0, 1)), (merge_job, (0,))):
            for rank in ranks:
                monkeypatch.setenv("SLURM_ARRAY_TASK_ID", str(rank))
                with open(job.group(1), "rb") as f:
                    dill.load(f).run()
    finally:
        signal.signal(signal.SIGUSR1, handler)
    assert_identical(plain, out)
    assert not (work / "tasks").exists() and (work / "datatrove" / "tasks" / "launch_script.slurm").exists()


def test_the_command_line(raw, plain, tmp_path):
    from click.testing import CliRunner
    from corpus.cli import main

    result = CliRunner().invoke(main, ["build-distributed", "--raw", str(raw), "--out", str(tmp_path / "dataset"),
                                       "--tasks", "2", "--workers", "1", "--work-dir", str(tmp_path / "work")])
    assert result.exit_code == 0, result.output
    assert "built 6 articles" in result.output and "2 tasks" in result.output
    assert_identical(plain, tmp_path / "dataset")
    # again over the published release (whose card and split assignment carry over, as with `corpus build`)
    again = CliRunner().invoke(main, ["build-distributed", "--raw", str(raw), "--out", str(tmp_path / "dataset"),
                                      "--tasks", "3", "--workers", "1"])
    assert again.exit_code == 0, again.output
    assert_identical(plain, tmp_path / "dataset")
    assert not (tmp_path / ".dataset.work").exists()
    bad = CliRunner().invoke(main, ["build-distributed", "--raw", str(raw), "--out", str(tmp_path / "x"),
                                    "--option", "nonsense"])
    assert bad.exit_code != 0 and "KEY=VALUE" in bad.output
    assert os.environ.get("SLURM_ARRAY_TASK_ID") is None
