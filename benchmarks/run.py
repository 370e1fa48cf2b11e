"""Benchmarks of the book build and of the analysis at scale (a script that prints figures).

    .venv/bin/python benchmarks/run.py                  # everything, median of 3
    .venv/bin/python benchmarks/run.py --only analysis  # analysis at 66 / 10k / 100k
    .venv/bin/python benchmarks/run.py --only build --repeat 1
    .venv/bin/python benchmarks/run.py --profile 100000 # cProfile of the analysis
    .venv/bin/python benchmarks/run.py --sizes 66 20 --repeat 1 --no-10k-build --out /tmp/b
                                                        # a quick run (as tests/test_benchmarks.py)

Book builds are made from a frozen copy of the book's sources and of the package (the chapters'
kernels import the copy through PYTHONPATH), with a fixed commit label and build date, so that
edits in the checkout during a run cannot change the build key. Every build and every analysis
runs in a fresh subprocess: wall time, CPU time of the whole process tree (the builder, Sphinx and
the kernels) and, for the analysis, peak resident memory are reported. Medians are printed; the
machine is shared, so the CPU times are the steadier figure. Generated cohorts are kept in
benchmarks/out/ (ignored by git; ``--out`` chooses another folder), and the builds work in a
temporary folder inside it, removed at the end. Nothing is written to _build/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
SHIPPED = ROOT / "data" / "synthetic"
PY = sys.executable
SIZES = (66, 10_000, 100_000)
GIB = 1024 ** 3


# --- helpers ----------------------------------------------------------------------------------

def run_child(args: list[str], env: dict | None = None,
              cwd: Path | None = None) -> tuple[float, float, str]:
    """Run a command; return (wall s, CPU s of its whole process tree, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(args, env=env, text=True, capture_output=True, cwd=cwd)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return wall, cpu, proc.stdout


def dataset(n: int, out: Path, seed: int | None = None) -> Path:
    """The shipped data (66, default seed) or a generated cohort, cached in ``out/data``."""
    from blina_analysis.data import synthetic

    if n == 66 and seed is None:
        return SHIPPED
    from blina_analysis.errors import DataValidationError
    from blina_analysis.data.io import load

    seed = synthetic.SEED if seed is None else seed
    folder = out / "data" / f"n{n}-seed{seed}"
    if not (folder / "READY").exists():
        t0 = time.perf_counter()
        synthetic.write_dataset(folder, seed=seed, n_patients=n)
        print(f"  generated {n} patients (seed {seed}) in {time.perf_counter() - t0:.1f} s")
        try:
            load(folder)  # the generator must write valid data: a hard error if not
        except DataValidationError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            sys.exit(f"generated cohort ({n} patients, seed {seed}) fails validation: {exc}")
        (folder / "READY").write_text("", encoding="utf-8")
    return folder


def med(values):
    return statistics.median(values) if values else float("nan")


def machine() -> str:
    from importlib.metadata import version

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    pkgs = ", ".join(f"{p} {version(p)}" for p in (
        "jupyter-book", "myst-nb", "jupyter-cache", "sphinx", "pandas", "numpy", "scipy",
        "lifelines", "matplotlib", "pandera"))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} cores (nproc), "
            f"{mem:.1f} GiB RAM; Python {platform.python_version()}; {pkgs}; "
            f"load average at start {load}")


# --- the analysis at scale --------------------------------------------------------------------

def analysis_child(data: str, profile: bool) -> None:
    """In a fresh process: every result, table and figure of the chapters, timed by phase."""
    t = {}
    t0 = time.perf_counter()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from blina_analysis import book
    from blina_analysis.report import figures, tables, text

    from blina_analysis.data import schema, synthetic
    from blina_analysis.analyses.core import Analysis, pivotal_comparison, subgroup_forest_table
    from blina_analysis.report.tables import concordance_table
    from blina_analysis.report.figures import figure_bytes
    from blina_analysis.data.io import load
    from blina_analysis.report.methods import endpoint_table, population_table, r_differences
    from blina_analysis.data.published import pivotal_trials
    from blina_analysis.analyses.results import compute_results
    t["import"] = time.perf_counter() - t0

    def png(fig):
        figure_bytes(fig, "png", dpi=150)  # as book.glue_figure renders it
        plt.close(fig)

    def work():
        s = time.perf_counter()
        ds = load(data)
        t["load+validate"] = time.perf_counter() - s
        s = time.perf_counter()
        an = Analysis(ds)
        t["derive"] = time.perf_counter() - s
        s = time.perf_counter()
        [text.page_values(page, an) for page in text.PAGES]
        results = compute_results(an)
        t["text values + results"] = time.perf_counter() - s
        s = time.perf_counter()
        endpoint_table(), population_table(an), r_differences()
        schema.data_dictionary(schema.PATIENT_COLUMNS), schema.data_dictionary(schema.AE_COLUMNS)
        synthetic.assumptions()
        tables.table1(an.table1())
        tables.subgroup_table(an.subgroup_response())
        srv = {f"{p} {e}": an.km(p, e) for p, e in (
            ("mrd", "OS"), ("mrd", "DFS"), ("mrd_responders", "DFS"), ("mrd_non_responders", "DFS"),
            ("responders", "OS"), ("responders", "DFS"), ("rr_responders", "OS"),
            ("rr_responders", "DFS"), ("rr_non_responders", "OS"), ("rr", "OS"))}
        tables.survival_table(srv)
        tables.survival_numbers(srv)
        for pop, column in (("mrd", "mrd_response"), ("rr", "hematologic_response"),
                            ("rr_responders", "mrd_response")):
            tables.response_table(an.response_table(pop, column), an.conf_level)
        tables.transplant_cox_table(an.transplant_cox_table())
        tables.landmark_sensitivity_table(an.landmark_sensitivity("DFS"))
        tables.ae_table(an.ae_table("category"))
        tables.ae_term_table(an.ae_table("category"), an.ae_table("term"))
        tables.pivotal_table(pivotal_trials())
        concordance_table(results)
        book.citation_text(an)
        t["tables"] = time.perf_counter() - s
        figs = {}

        def fig(name, make):
            s = time.perf_counter()
            png(make())
            figs[name] = time.perf_counter() - s

        fig("consort", lambda: figures.consort_diagram(an.disposition()))
        fig("mrd km", lambda: figures.km_plot([an.km("mrd", "OS", "overall survival"),
                                               an.km("mrd", "DFS", "disease-free survival")],
                                              endpoint="overall and disease-free survival"))
        fig("mrd dfs", lambda: figures.km_plot(
            list(an.response_landmark("mrd", "DFS").curves.values()),
            endpoint="disease-free survival"))
        fig("forest", lambda: figures.forest_plot(subgroup_forest_table(an),
                                                  reference=an.rr_response.rate,
                                                  label_header="subgroup"))
        fig("rr os", lambda: figures.km_plot(
            list(an.response_landmark("rr", "OS").curves.values()),
            endpoint="overall survival"))
        fig("rr dfs", lambda: figures.km_plot([an.km("rr_responders", "DFS")],
                                              endpoint="disease-free survival"))
        fig("swimmer", lambda: figures.swimmer_plot(an.swimmer_lanes(),
                                                    occupation=an.state_occupation()))
        fig("naive", lambda: figures.km_plot(an.naive_transplant_comparison("DFS")[0],
                                             endpoint="disease-free survival"))
        fig("landmark", lambda: figures.km_plot(list(an.landmark("DFS").curves.values()),
                                                endpoint="disease-free survival"))
        fig("simon-makuch", lambda: figures.km_plot(list(an.simon_makuch("DFS").values()),
                                                    endpoint="disease-free survival",
                                                    estimator="Simon–Makuch"))
        fig("cif", lambda: figures.cif_plot(list(an.relapse_nrm_from_response().values())))
        fig("ae bars", lambda: figures.ae_bar_plot(an.ae_table("category")))
        fig("pivotal", lambda: figures.pivotal_forest_plot(pivotal_comparison(an)))
        t["figures"] = sum(figs.values())
        t["slowest figure"] = max(figs.items(), key=lambda kv: kv[1])
        return ds

    s = time.perf_counter()
    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        ds = prof.runcall(work)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
    else:
        ds = work()
    t["analysis total"] = time.perf_counter() - s
    t["peak_rss_gib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / GIB
    t["patients"] = len(ds.patients)
    t["ae_rows"] = len(ds.adverse_events)
    print("RESULT " + json.dumps(t))


def bench_analysis(repeat: int, sizes: list[int], out: Path) -> list[dict]:
    rows = []
    for n in sizes:
        data = dataset(n, out)
        runs = []
        for _ in range(repeat):
            wall, cpu, printed = run_child([PY, __file__, "--analysis-child", str(data)])
            runs.append(json.loads(printed.split("RESULT ", 1)[1]))
        row = {"patients": n, "ae_rows": runs[0]["ae_rows"]}
        for k in ("import", "load+validate", "derive", "text values + results", "tables",
                  "figures", "analysis total", "peak_rss_gib"):
            row[k] = med([r[k] for r in runs])
        row["slowest figure"] = runs[0]["slowest figure"]
        rows.append(row)
        print(f"  analysis {n:>7}: total {row['analysis total']:.1f} s "
              f"(load {row['load+validate']:.1f} s), peak {row['peak_rss_gib']:.2f} GiB")
    return rows


def bench_generate(sizes: list[int]) -> list[tuple[int, float]]:
    rows = []
    for n in [n for n in sizes if n != 66]:  # 66: the shipped data, not generated
        code = ("import tempfile, time; from blina_analysis.data import synthetic\n"
                "with tempfile.TemporaryDirectory() as d:\n"
                "    t = time.perf_counter()\n"
                f"    synthetic.write_dataset(d, seed=synthetic.SEED, n_patients={n})\n"
                "    print(time.perf_counter() - t)")
        _, _, out = run_child([PY, "-c", code])
        rows.append((n, float(out.strip())))
    return rows


# --- book builds ------------------------------------------------------------------------------

BUILD_CODE = """
import json, sys
from pathlib import Path
from blina_analysis.publish.build import build_book
lines = []
langs = tuple(sys.argv[4].split(",")) if sys.argv[4:] else None
info = build_book(Path(sys.argv[1]), Path(sys.argv[2]), root=Path(sys.argv[3]), echo=lines.append,
                  languages=langs)
print("RESULT " + json.dumps({"seconds": info.seconds, "executed": list(info.executed),
                              "cached": list(info.cached)}))
"""


def frozen_checkout(dest: Path) -> Path:
    """The book's sources and the package, copied (what every benchmark build is made from)."""
    import yaml

    from blina_analysis.publish.sources import book_sources

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "_config.yml", dest / "_config.yml")
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for rel in [*book_sources(ROOT, config), Path("blina_analysis")]:
        if (ROOT / rel).is_dir():
            shutil.copytree(ROOT / rel, dest / rel, ignore=junk)
        else:
            shutil.copy2(ROOT / rel, dest / rel)
    return dest


class Builder:
    def __init__(self, work: Path, languages: tuple[str, ...] = ()):
        self.work = work
        # every language the book lists (what ``blina build`` builds) unless some are chosen
        self.languages = [",".join(languages)] if languages else []
        self.root = frozen_checkout(work / "checkout")
        self.env = dict(os.environ, PYTHONPATH=str(self.root), BLINA_SOURCE_COMMIT="benchmark",
                        SOURCE_DATE_EPOCH="1700000000")

    def build(self, data: Path, out: Path) -> dict:
        # cwd outside the checkout: ``python -c`` puts the cwd first on sys.path, and the builder
        # (and its probe for the kernels' package) must import the frozen copy, not the checkout
        wall, cpu, stdout = run_child([PY, "-c", BUILD_CODE, str(data), str(out), str(self.root),
                                       *self.languages],
                                      self.env, cwd=self.work)
        res = json.loads(stdout.split("RESULT ", 1)[1])
        res.update(wall=wall, cpu=cpu)
        return res

    def render_floor(self, work: Path) -> dict:
        """Sphinx rendering the same sources with execution off (glue keys stay empty), every
        language of the build side by side as the build renders them: the least a build can
        cost."""
        wall, cpu, _ = run_child([PY, "-c", RENDER_CODE, str(self.root), str(work),
                                  *self.languages], self.env, cwd=self.work)
        return {"wall": wall, "cpu": cpu}


RENDER_CODE = """
import os, sys, time, yaml
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from blina_analysis.publish.jupyter_book import run_jupyter_book
from blina_analysis.publish.languages import book_languages, language_config, select_languages
from blina_analysis.publish.sources import copy_sources
root, work = Path(sys.argv[1]), Path(sys.argv[2])
base = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
listed = book_languages(base)
langs = select_languages(base, tuple(sys.argv[3].split(",")) if sys.argv[3:] else None)
started = time.monotonic()

def render(lang):
    # each language as the build renders it: its generated configuration, its own Sphinx
    # process, side by side with the others
    config = language_config(yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")),
                             lang, listed, langs)
    config["execute"]["execute_notebooks"] = "off"
    where = work / lang
    src = where / "src"
    pages = copy_sources(root, src, config)
    (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    run_jupyter_book(src, where, dict(os.environ), where / "render.log", started=started,
                     echo=lambda line: None)
    # execution off leaves the glue keys empty, so Sphinx warns and exits 1: the floor is
    # valid as long as every page was written
    html = where / "_build" / "html"
    return [str(p) for p in pages
            if not (html / p.relative_to(src)).with_suffix(".html").exists()]

with ThreadPoolExecutor(max_workers=len(langs)) as pool:
    missing = [m for found in pool.map(render, langs) for m in found]
if missing:
    sys.exit(f"render floor: pages not written: {missing}; see {work}/*/render.log")
"""


def _figures(html: Path) -> list[bytes]:
    return re.findall(rb'src="data:image/png;base64,([^"]+)"',
                      (html / "chapters" / "rr_results.html").read_bytes())


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def bench_builds(repeat: int, with_10k: bool, folder: Path,
                 languages: tuple[str, ...] = ()) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="blina-bench-", dir=folder))
    b = Builder(work, languages)
    out: dict[str, list] = {"render floor": [], "clean": [], "unchanged": [], "data change": [],
                            "clean 10k": []}
    checks = []
    try:
        for i in range(repeat):
            r = b.render_floor(work / f"floor{i}")
            out["render floor"].append(r)
            print(f"  render floor {i + 1}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU")
            r = b.build(SHIPPED, work / f"site{i}" / "html")
            site = work / f"site{i}" / "html"
            assert len(r["executed"]) >= 9 and not r["cached"], r
            out["clean"].append(r)
            print(f"  clean build {i + 1}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU")
            if i == 0:
                first = _tree(site)
            else:
                same = _tree(site) == first
                checks.append(f"clean build {i + 1} byte-identical to clean build 1: {same}")
        site = work / "site0" / "html"
        for i in range(repeat):
            r = b.build(SHIPPED, site)
            assert not r["executed"], r
            out["unchanged"].append(r)
            print(f"  unchanged rebuild {i + 1}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU")
        checks.append(f"unchanged rebuild byte-identical to a clean build: {_tree(site) == first}")
        previous = json.loads((site / "results.json").read_text())["results"]
        previous_figs = _figures(site)
        for i in range(repeat):
            data = dataset(99, folder, seed=11 + i)  # never built before: a data change
            r = b.build(data, site)
            results = json.loads((site / "results.json").read_text())["results"]
            figs = _figures(site)
            all_run = set(r["executed"]) == set(out["clean"][0]["executed"]) and not r["cached"]
            changed = sum(previous[k] != results[k] for k in results)
            redrawn = sum(a != c for a, c in zip(previous_figs, figs))
            checks.append(f"data change {i + 1}: every chapter re-executed: {all_run}; "
                          f"{changed} results.json values changed; {redrawn}/{len(figs)} figures "
                          "of the R/R chapter changed")
            assert all_run and changed and redrawn == len(figs), checks[-1]
            previous, previous_figs = results, figs
            out["data change"].append(r)
            print(f"  data-change rebuild {i + 1}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU")
        if with_10k:
            data = dataset(10_000, folder)
            for i in range(repeat):
                r = b.build(data, work / f"big{i}" / "html")
                out["clean 10k"].append(r)
                print(f"  clean build, 10,000 patients {i + 1}: {r['wall']:.1f} s wall, "
                      f"{r['cpu']:.1f} s CPU")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out["checks"] = checks
    out["languages"] = ", ".join(languages) or "every language of _config.yml"
    return out


# --- report -----------------------------------------------------------------------------------

def report(builds: dict | None, analysis: list[dict] | None, generate: list | None) -> None:
    print()
    print(f"Machine: {machine()}")
    if builds:
        clean_w = med([r["wall"] for r in builds["clean"]])
        clean_c = med([r["cpu"] for r in builds["clean"]])
        print(f"languages built: {builds['languages']}")
        print()
        print("| book build (median of %d) | wall s | CPU s | vs clean (wall / CPU) | target |"
              % len(builds["clean"]))
        print("|---|---:|---:|---:|---|")
        floor_w = med([r["wall"] for r in builds["render floor"]])
        floor_c = med([r["cpu"] for r in builds["render floor"]])
        targets = {"render floor": "", "clean": f"≤ 2× render floor (clean / floor = "
                   f"{clean_w / floor_w:.1f}× wall, {clean_c / floor_c:.1f}× CPU)",
                   "unchanged": "≤ 2% of clean",
                   "data change": "re-executes every chapter", "clean 10k": "≤ 1.2× clean"}
        labels = {"render floor": "render floor (Sphinx, execution off)",
                  "clean": "clean build, shipped data (66)", "unchanged": "rebuild, nothing changed",
                  "data change": "rebuild after a data change", "clean 10k":
                  "clean build, 10,000 patients"}
        for k in ("render floor", "clean", "unchanged", "data change", "clean 10k"):
            if not builds[k]:
                continue
            w, c = med([r["wall"] for r in builds[k]]), med([r["cpu"] for r in builds[k]])
            print(f"| {labels[k]} | {w:.1f} | {c:.1f} | {w / clean_w:.0%} / {c / clean_c:.0%} "
                  f"| {targets[k]} |")
        for line in builds["checks"]:
            print(f"- {line}")
    if analysis:
        print()
        print("| analysis (median, fresh process) | patients | AE rows | import s | load+validate s "
              "| derive s | text+results s | tables s | figures s | total s (excl. import) "
              "| peak RSS GiB |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in analysis:
            print(f"| | {r['patients']:,} | {r['ae_rows']:,} | {r['import']:.1f} "
                  f"| {r['load+validate']:.2f} | {r['derive']:.2f} "
                  f"| {r['text values + results']:.2f} | {r['tables']:.2f} | {r['figures']:.2f} "
                  f"| {r['analysis total']:.2f} | {r['peak_rss_gib']:.2f} |")
        print("targets: 100,000-patient analysis ≤ 45 s (total excl. import) and ≤ 2 GiB peak RSS")
        print("slowest figure: " + "; ".join(
            f"{r['patients']:,}: {r['slowest figure'][0]} {r['slowest figure'][1]:.2f} s"
            for r in analysis))
    if generate:
        print("generation (synthetic.write_dataset, not part of the analysis): " + "; ".join(
            f"{n:,} patients {s:.1f} s" for n, s in generate))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", choices=("build", "analysis"))
    ap.add_argument("--no-10k-build", action="store_true")
    ap.add_argument("--lang", action="append", default=[], metavar="LANG",
                    help="build (and render the floor of) only this language (repeatable); "
                         "default: every language of _config.yml, as `blina build`")
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), metavar="N",
                    help="patients of the analysis runs (66: the shipped data; others generated "
                         "and their generation timed); default %(default)s")
    ap.add_argument("--out", type=Path, default=OUT,
                    help="folder for generated cohorts and the builds' scratch folder "
                         "(default benchmarks/out)")
    ap.add_argument("--profile", type=int, metavar="N", help="cProfile the analysis of N patients")
    ap.add_argument("--analysis-child", help=argparse.SUPPRESS)
    ap.add_argument("--child-profile", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.analysis_child:
        return analysis_child(a.analysis_child, a.child_profile)
    if a.profile:
        subprocess.run([PY, __file__, "--analysis-child", str(dataset(a.profile, a.out.resolve())),
                        "--child-profile"], check=True)
        return None
    print(f"Machine: {machine()}")
    analysis = generate = builds = None
    if a.only in (None, "analysis"):
        generate = bench_generate(a.sizes)
        analysis = bench_analysis(a.repeat, a.sizes, a.out.resolve())
    if a.only in (None, "build"):
        builds = bench_builds(a.repeat, not a.no_10k_build, a.out.resolve(), tuple(a.lang))
    report(builds, analysis, generate)
    return None


if __name__ == "__main__":
    main()
