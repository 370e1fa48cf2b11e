"""The ``blina`` command: a thin shell over the package.

User errors (bad data, a failed build, a folder a command may not write) are raised as
:class:`~blina_analysis.errors.BlinaError` and handled in one place, :class:`_Blina`: printed on
standard error with exit status 1 and no traceback. Usage errors exit with 2 (click's convention).
"""

from __future__ import annotations

from pathlib import Path

import click

from blina_analysis._version import __version__
from blina_analysis.errors import BlinaError
from blina_analysis.i18n import LANGUAGES, _, language_from_environment, ngettext, use_language


def default_data_dir() -> Path:
    """The shipped synthetic dataset of this checkout."""
    from blina_analysis.publish.provenance import shipped_data_dir

    return shipped_data_dir()


def _language_option(command):
    """``--lang``: the language of the command's messages and files; by default the locale's
    (``LANG=ru_RU.UTF-8`` gives Russian), else English."""
    return click.option("--lang", "lang", type=click.Choice(LANGUAGES), default=None,
                        help="Language of the messages (default: from BLINA_LANG or the "
                             "locale, LANG; else en).")(command)


def _versions(ctx: click.Context, _param, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import PackageNotFoundError, version

    click.echo(f"blina {__version__}")
    for dist in ("jupyter-book", "myst-nb", "lifelines", "pandas", "numpy", "scipy",
                 "matplotlib", "pandera"):
        try:
            click.echo(f"  {dist} {version(dist)}")
        except PackageNotFoundError:
            click.echo(f"  {dist} (not installed)")
    ctx.exit()


class _Blina(click.Group):
    """The ``blina`` group: the one error path of every command."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BlinaError as exc:
            click.secho(str(exc), fg="red", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:  # Ctrl-C outside a build's own handling (or a second one)
            click.secho(_("interrupted"), fg="red", err=True)
            ctx.exit(1)


@click.group(cls=_Blina, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_versions,
              help="Show the version of blina and of the libraries it uses.")
def main() -> None:
    """Living publication of the Russian multicentre blinatumomab trial (Bondarenko et al. 2019)."""


@main.command()
@click.argument("data_dir", required=False, type=click.Path(file_okay=True, path_type=Path))
@_language_option
def validate(data_dir: Path | None, lang: str | None) -> None:
    """Check the dataset in DATA_DIR (default: the shipped synthetic data) against the format.

    First prints how each table file was read (CSV delimiter, encoding, decimal comma, date forms;
    or Excel workbook). Every problem is listed (file, line, column, value, rule); the exit status
    is 1 if there is any. The messages are in the language of --lang (file, line and column stay).
    """
    with use_language(lang or language_from_environment()):
        _validate(data_dir)


def _validate(data_dir: Path | None) -> None:
    from blina_analysis.data.io import load
    from blina_analysis.errors import DataValidationError
    from blina_analysis.report import fmt

    data_dir = data_dir or default_data_dir()
    try:
        ds = load(data_dir)
    except DataValidationError as exc:  # how the files were read, then the one error path
        for note in exc.notes:
            click.echo(_("read {note}").format(note=note))
        raise  # its message was written in this language when it was raised
    for form in ds.forms:
        click.echo(_("read {note}").format(note=form.describe()))
    p = ds.patients
    kind = _("synthetic") if ds.meta.synthetic else _("real")
    n, n_events = len(p), len(ds.adverse_events)
    counts = {"n": n, "mrd": int((p["group"] == "MRD").sum()),
              "rr": int((p["group"] == "RR").sum()), "events": n_events}
    patients = ngettext("{n} patient ({mrd} MRD, {rr} R/R)", "{n} patients ({mrd} MRD, {rr} R/R)",
                        n).format(**counts)
    events = ngettext("{events} adverse event", "{events} adverse events",
                      n_events).format(**counts)
    click.echo(_("{folder}: valid ({name} {version}, {kind}, cut-off {cutoff}): {patients}, "
                 "{events}; sha256 {sha}").format(
        folder=data_dir, name=ds.meta.name, version=ds.meta.version, kind=kind,
        cutoff=fmt.date(ds.meta.cutoff_date), patients=patients, events=events,
        sha=ds.fingerprint[:12]))


@main.command()
@click.argument("out_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", type=int, default=None, help="Seed (default: the shipped cohort's seed).")
@click.option("--patients", "n_patients", type=click.IntRange(min=1), default=66, show_default=True,
              help="Number of patients (66 = the trial; more for benchmarks).")
@click.option("--force", is_flag=True,
              help="Replace a different synthetic dataset in OUT_DIR (never real data).")
def generate(out_dir: Path | None, seed: int | None, n_patients: int, force: bool) -> None:
    """Write the synthetic reconstruction to OUT_DIR (default: data/synthetic).

    The same seed and size always give byte-identical files. OUT_DIR must be new, empty, or hold a
    synthetic dataset (only its three files, `synthetic: true`): one that already holds these
    files is left as it is, a different one is replaced only with --force. A folder holding other
    files, or a dataset not marked `synthetic: true` (real data), is refused (exit 1), even with
    --force.
    """
    from blina_analysis.data import synthetic
    from blina_analysis.data.io import load

    out_dir = out_dir or default_data_dir()
    seed = synthetic.SEED if seed is None else seed
    done = synthetic.regenerate(out_dir, seed=seed, n_patients=n_patients, force=force)
    load(out_dir)  # the generator must never write data the loader rejects
    if done == "unchanged":
        click.echo(f"{out_dir} already holds these {n_patients} synthetic patients (seed {seed}); "
                   "nothing written")
    else:
        verb = "replaced the dataset in" if done == "replaced" else "wrote"
        click.echo(f"{verb} {out_dir}: {n_patients} synthetic patients (seed {seed})")


@main.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Dataset folder (default: the shipped synthetic data).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder of the site (default: _build/html).")
@click.option("--previous", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="results.json of an earlier edition: the book then lists what changed.")
@click.option("--history", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="history.json of a site's earlier editions (written by blina publish): the "
                   "'How the results changed' page shows them.")
@click.option("--lang", "langs", multiple=True,
              help="Build only this language (repeatable; default: every language _config.yml "
                   "lists, the first at OUT, each other at OUT/<lang>/).")
def build(data_dir: Path | None, out_dir: Path | None, previous: Path | None,
          history: Path | None, langs: tuple[str, ...]) -> None:
    """Validate the dataset, execute every chapter against it and build the site.

    The output folder is replaced only when everything succeeded; on any failure (bad data, a
    failing cell, a Sphinx warning, Ctrl-C) the previous site stays as it was and the exit
    status is 1. The output folder must be new, empty or a site of an earlier `blina build`,
    and apart from the data and the book's sources; anything else is refused before any work.
    The execution cache, build.log and the lock live beside it, in OUT.blina-state.
    """
    from blina_analysis.publish.build import build_book
    from blina_analysis.publish.provenance import repo_root

    data_dir = data_dir or default_data_dir()
    out_dir = out_dir or repo_root() / "_build" / "html"
    info = build_book(data_dir, out_dir, echo=click.echo, previous=previous,
                      history=history, languages=langs or None)
    click.echo(f"built {info.pages} pages ({', '.join(info.languages)}) from {info.dataset} in "
               f"{info.seconds:.1f} s: {info.out_dir}/index.html")


@main.group()
def translations() -> None:
    """The chapters' catalogs (locale/<lang>/LC_MESSAGES/<page>.po)."""


@translations.command("update")
@click.option("--lang", "langs", multiple=True,
              help="Update this language's catalogs (default: every further language).")
def translations_update(langs: tuple[str, ...]) -> None:
    """Extract the chapters' messages (Sphinx gettext) and merge them into the catalogs
    (sphinx-intl update): new messages empty, changed ones fuzzy."""
    import yaml

    from blina_analysis.publish.languages import book_languages
    from blina_analysis.publish.provenance import repo_root
    from blina_analysis.publish.translations import update_catalogs

    root = repo_root()
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    langs = langs or book_languages(config)[1:]
    for path in update_catalogs(root, tuple(langs), echo=click.echo):
        click.echo(f"  {path.relative_to(root)}")


@main.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Dataset folder (default: data/synthetic as committed at HEAD).")
@click.option("--dist", "dist_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the archive, checksum and manifest (default: dist/).")
@click.option("--allow-dirty", is_flag=True,
              help="Snapshot HEAD even if tracked files differ from it (recorded as +dirty).")
@click.option("--repo", "repo", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The git checkout to snapshot (default: this package's checkout).")
@click.option("--previous", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="results.json of an earlier edition: the edition lists what changed.")
@click.option("--pdf/--no-pdf", default=True, show_default=True,
              help="Print the whole edition to PDF (needs Chromium).")
def snapshot(data_dir: Path | None, dist_dir: Path | None, allow_dirty: bool,
             repo: Path | None, previous: Path | None, pdf: bool) -> None:
    """Build the committed source into a reproducible, citable archive of one edition.

    Exports HEAD with git archive, builds the edition from it (the book and its PDF), and writes
    dist/blina-living-publication-EDITION.tar.gz (the site, the source, the data), its .sha256
    and a .manifest.json (edition, commit, dataset fingerprint, lock-file hash, file count,
    checksum). EDITION is VERSION+DATASET-DATASETVERSION. The same commit and data give a
    byte-identical archive; an existing archive with other bytes is never overwritten. Refuses
    (exit 1) if tracked files differ from HEAD, unless --allow-dirty.
    """
    from blina_analysis.publish.editions import EditionOptions
    from blina_analysis.publish.snapshot import make_snapshot

    snap = make_snapshot(repo, data_dir, dist_dir, allow_dirty=allow_dirty, echo=click.echo,
                         previous=previous, options=EditionOptions(pdf=pdf))
    m = snap.manifest
    click.echo(f"wrote {snap.archive} ({snap.files} files, {m['archive']['bytes']} bytes)")
    click.echo(f"      {snap.checksum_file}")
    click.echo(f"      {snap.manifest_file}")
    click.echo(f"sha256 {snap.sha256}; edition {m['edition']}, commit "
               f"{m['source_commit_label']}, dataset {m['dataset']['name']} "
               f"{m['dataset']['version']}")


@main.command()
@click.option("--site", "site_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="The versioned site folder (created if absent; must be one blina made).")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Dataset folder (default: data/synthetic as committed at HEAD).")
@click.option("--base-url", default="", help="The site's public address, e.g. "
              "https://owner.github.io/repo/ (for citations and link previews).")
@click.option("--allow-dirty", is_flag=True,
              help="Publish HEAD even if tracked files differ from it (recorded as +dirty).")
@click.option("--repo", "repo", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The git checkout to publish (default: this package's checkout).")
@click.option("--withdraw", "withdraw", metavar="EDITION", default=None,
              help="Withdraw EDITION (with --reason) instead of publishing: it stays readable, "
                   "with a banner giving the date and the reason.")
@click.option("--reason", default=None, help="Why the edition is withdrawn (required with "
              "--withdraw; readers see it).")
@click.option("--reinstate", "reinstate", metavar="EDITION", default=None,
              help="Undo the withdrawal of EDITION.")
def publish(site_dir: Path, data_dir: Path | None, base_url: str, allow_dirty: bool,
            repo: Path | None, withdraw: str | None, reason: str | None,
            reinstate: str | None) -> None:
    """Add the current edition to the versioned site in SITE, or withdraw or reinstate one.

    Builds the edition from HEAD (as blina snapshot does, with the changes since the site's
    latest edition and the history of its earlier editions), then writes SITE/EDITION/,
    replaces SITE/latest/, SITE/index.html, SITE/versions.json and SITE/feed.xml, and keeps the
    archive in SITE/archives/. Earlier editions' pages are never rewritten; an edition already
    in the site is refused (exit 1).

    --withdraw EDITION --reason "..." marks an edition withdrawn in versions.json (its pages show
    a banner with the date and the reason; latest/ moves to the newest edition not withdrawn;
    the feed says so); --reinstate EDITION undoes it. Neither builds anything.
    """
    from blina_analysis.publish.site import publish_site, reinstate_edition, withdraw_edition

    if withdraw and reinstate:
        raise click.UsageError("--withdraw and --reinstate: one at a time")
    if reason is not None and not withdraw:
        raise click.UsageError("--reason goes with --withdraw EDITION")
    if withdraw:
        withdraw_edition(site_dir, withdraw, reason or "", echo=click.echo)
        return
    if reinstate:
        reinstate_edition(site_dir, reinstate, echo=click.echo)
        return
    done = publish_site(site_dir, repo=repo, data_dir=data_dir, base_url=base_url,
                        allow_dirty=allow_dirty, echo=click.echo)
    click.echo(f"{done.site}/index.html -> latest/ = {done.edition}; archive {done.archive} "
               f"(sha256 {done.sha256}); {done.editions} edition(s)")


@main.command()
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="The dataset, for an edition of real data (not kept in its archive).")
@click.pass_context
def verify(ctx: click.Context, archive: Path, data_dir: Path | None) -> None:
    """Rebuild the edition in ARCHIVE from its own sources and data; compare every file.

    First checks the archive against its ARCHIVE.sha256 and manifest (when they are beside it)
    and reads it whole, so a changed, truncated or corrupt archive stops there (exit 1), before
    anything is built. Exit 0 if every rebuilt file equals the archived one; 1 with the list of
    files that differ (and the installed versions that differ from the archive's
    constraints.txt).
    """
    from blina_analysis.publish.verify import verify_archive

    result = verify_archive(archive, data_dir=data_dir, echo=click.echo)
    if result.ok:
        click.echo(result.report())
    else:
        click.secho(result.report(), fg="red", err=True)
        ctx.exit(1)


@main.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
def diff(old: Path, new: Path) -> None:
    """Show which results changed between two builds: OLD and NEW results.json files.

    Lists the differences in the build (book version, commit, dataset, packages), every result
    whose value changed (rates in %, change in percentage points; counts; days) and the keys
    present in one file only. Exit status 0; 1 if a file is missing or not a results.json.
    """
    from blina_analysis.publish.diff import format_diff, load_results

    a, b = load_results(old), load_results(new)
    click.echo(format_diff(a, b, old_label="old", new_label="new"))


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path))
@_language_option
def template(out_dir: Path, lang: str | None) -> None:
    """Write an empty dataset to fill in into OUT_DIR (a new or empty folder).

    OUT_DIR gets dataset.yaml (every field explained in a comment), patients.xlsx and
    adverse_events.xlsx (header row, drop-down lists, the data dictionary on a second sheet), and
    the same tables as header-only CSV files in csv/ for those who prefer CSV (move them up and
    delete the workbooks: one file per table). Refuses a folder that holds anything. With --lang
    ru, the comments, the data dictionary and the drop-down help are in Russian; the column names,
    field names and codes stay as the format names them.
    """
    from blina_analysis.data.template import write_template

    with use_language(lang or language_from_environment()):
        files = write_template(out_dir)
        click.echo(_("wrote an empty dataset to {folder}:").format(folder=out_dir))
        for file in files:
            click.echo(f"  {file.relative_to(out_dir)}")
        click.echo(_("fill in dataset.yaml and the workbooks, then run: blina validate {folder}")
                   .format(folder=out_dir))



if __name__ == "__main__":  # pragma: no cover
    main()
