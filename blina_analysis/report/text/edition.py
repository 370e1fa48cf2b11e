"""What this build is: book version, dataset, cut-off, fingerprint and source commit.

It also holds the sentences that depend on *which kind* of data the book was built from
(:func:`source_kind`): the shipped synthetic reconstruction, other synthetic data, or real patient
data (``synthetic: false``). Claims that hold only for the reconstruction — its counts equal the
abstract's, its survival lies within 3 percentage points of the paper's — appear only when the
data are the reconstruction, byte for byte
(:func:`blina_analysis.data.synthetic.is_shipped_reconstruction`); real data get no word of
synthesis.
"""

from __future__ import annotations

from dataclasses import dataclass

from blina_analysis._version import __version__
from blina_analysis.analyses import Analysis
from blina_analysis.data.synthetic import is_shipped_reconstruction
from blina_analysis.i18n import N_, _
from blina_analysis.report import fmt

__all__ = ["values", "BuildFacts", "source_kind", "provenance", "data_description",
           "data_limitation", "concordance_purpose", "SHIPPED", "SYNTHETIC", "REAL"]

SHIPPED, SYNTHETIC, REAL = "shipped", "synthetic", "real"

_KIND_TEXT = {SHIPPED: N_("a synthetic reconstruction"), SYNTHETIC: N_("synthetic data"),
              REAL: N_("real patient data")}


@dataclass(frozen=True)
class BuildFacts:
    """What the publishing layer knows of this build and the pages print: the edition's
    identifier, the source commit and the earlier editions it follows. The chapters' face (:mod:`blina_analysis.book`) hands them
    down; this layer never asks the publishing layer itself."""

    edition: str = "unknown"
    source_commit: str = "unknown"
    #: The earlier editions of a published site, as the JSON text of
    #: :func:`blina_analysis.report.text.history.history_document` ("" without a site).
    history: str = ""


def source_kind(an: Analysis) -> str:
    """:data:`SHIPPED` (the shipped reconstruction), :data:`SYNTHETIC` or :data:`REAL`."""
    def compute():
        if is_shipped_reconstruction(an.dataset):
            return SHIPPED
        return SYNTHETIC if an.dataset.meta.synthetic else REAL
    return an._cached(("source_kind",), compute)


def _identity(an: Analysis) -> str:
    meta = an.dataset.meta
    return _("dataset {name} version {version} (data cut-off {cutoff})").format(
        name=meta.name, version=meta.version, cutoff=fmt.date(meta.cutoff_date))


def provenance(an: Analysis) -> str:
    """The front page's sentences on where the numbers come from."""
    text = {
        SHIPPED: N_("The trial's patient-level data are not public; the shipped dataset is a "
                    "seeded synthetic reconstruction whose counts equal those of the published "
                    "abstract. Rebuilt with the trial's file, every number below is the trial's."),
        SYNTHETIC: N_("These are not the trial's patients, and the data were not made to match "
                      "the published paper: every number below describes these data only."),
        REAL: N_("Every number below is computed from these data."),
    }[source_kind(an)]
    return _(text)


def data_description(an: Analysis) -> str:
    """The methods chapter's description of the data of this build."""
    kind = source_kind(an)
    if kind == SHIPPED:
        return _("The trial's patient-level data are not public. This build uses the shipped "
                 "synthetic cohort, written by a seeded generator (blina generate; "
                 "blina_analysis.data.synthetic). Its counts equal every count of the published "
                 "abstract; its 2-year survival estimates lie within 3 percentage points of the "
                 "published ones. Its assumptions:")
    if kind == SYNTHETIC:
        return _("This build uses synthetic data, {identity}: its patients are not the trial's, "
                 "and nothing in it was made to match the published paper.").format(
                     identity=_identity(an))
    return _("This build uses {identity}, real patient data.").format(identity=_identity(an))


def data_limitation(an: Analysis) -> str:
    """The discussion's limitation on the data of this build."""
    kind = source_kind(an)
    if kind == SHIPPED:
        return _("The patient-level data of this build are a synthetic reconstruction: its "
                 "counts match the abstract exactly, but its dates, and everything the abstract "
                 "does not report, are simulated.")
    if kind == SYNTHETIC:
        return _("The patient-level data of this build are synthetic: they are not the trial's "
                 "patients, so its results say nothing about the trial.")
    return _("The results are those of {identity}.").format(identity=_identity(an))


def concordance_purpose(an: Analysis) -> str:
    """What the concordance table means for the data of this build."""
    text = {
        SHIPPED: N_("With the shipped reconstruction the table shows how faithful the "
                    "reconstruction is."),
        SYNTHETIC: N_("These data are synthetic and were not made to match the paper, so the "
                      "table shows how far they are from it, not whether the paper is "
                      "reproduced."),
        REAL: N_("With real patient data the table checks the published numbers against these "
                 "data."),
    }[source_kind(an)]
    return _(text)


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    meta = an.dataset.meta
    return {
        "edition": build.edition,
        "book_version": __version__,
        "dataset_name": meta.name,
        "dataset_version": meta.version,
        "dataset_cutoff": fmt.date(meta.cutoff_date),
        "dataset_kind": _(_KIND_TEXT[source_kind(an)]),
        "data_fingerprint": an.dataset.fingerprint[:16],
        "source_commit": build.source_commit,
    }
