"""The captions of the book's tables: one home, each a message of the catalogs under a stable name.

A chapter shows a table by its name (``book.show_table(table, "rr-response")``): the caption is
read here in the reader's language, and the name is also the file name of the table's CSV
download, the same in every language (the CSV holds the numbers under their machine names; the
table on the page, in the reader's language, is its labelled companion).
"""

from __future__ import annotations

from blina_analysis.i18n import N_, _

__all__ = ["TABLE_CAPTIONS", "SURVIVAL_ROWS", "AFTER_HSCT_ROWS", "table_caption"]

#: Table name -> its caption (English; a catalog message).
TABLE_CAPTIONS: dict[str, str] = {
    "concordance": N_("Abstract vs this build"),
    "pivotal-trials": N_("Published results of the pivotal trials"),
    "definitions": N_("Definitions: this book, the abstract, this dataset"),
    "endpoints": N_("Endpoints: time origin, population, event, competing event, censoring"),
    "populations": N_("Analysis populations"),
    "r-differences": N_("Defaults that differ from R, and why"),
    "patients-dictionary": N_("patients.csv"),
    "adverse-events-dictionary": N_("adverse_events.csv"),
    "table-1": N_("Table 1. Patient characteristics"),
    "mrd-response": N_("MRD after blinatumomab, MRD+ group"),
    "mrd-survival": N_(
        "Survival estimates, MRD+ group and all responders, each from its endpoint's time origin,"
        " with the number still at risk (MRD responders and non-responders are described, not "
        "compared)"),
    "rr-response": N_("Best response, R/R group"),
    "rr-mrd-response": N_("MRD after blinatumomab, R/R responders"),
    "rr-subgroups": N_("CR/CRh by subgroup (R/R group)"),
    "rr-survival": N_(
        "Survival estimates, R/R group, each from its endpoint's time origin, with the number "
        "still at risk (responders and non-responders are described, not compared: see the "
        "landmark analysis)"),
    "cycles": N_("Patients by the number of blinatumomab cycles given: n (%) of each cohort"),
    "deaths": N_("Deaths by cohort: n (%) of each cohort's treated patients"),
    "ae-by-cohort": N_(
        "Patients with an adverse event by category and cohort: n (%) of each cohort"),
    "ae-by-cycle": N_(
        "Adverse events by the cycle in which they began: patients of those given the cycle"),
    "ae-by-category": N_("Patients by worst grade, by category: n (%) of all treated patients"),
    "ae-by-term": N_(
        "Patients by worst grade, by term within its category: n (%) of all treated patients"),
    "after-hsct-survival": N_(
        "Survival from the day of a transplant in remission: overall and leukaemia-free survival"),
    "transplant-landmarks": N_(
        "Landmark analysis of relapse-free survival at several landmarks (days after response): "
        "patients in follow-up at the landmark, by transplant by then"),
    "transplant-cox": N_(
        "Hazard ratio of allo-HSCT after blinatumomab (time-dependent covariate, from response): "
        "cohorts pooled and stratified by cohort"),
}


def table_caption(name: str) -> str:
    """The caption of table ``name`` in the current language (KeyError for an unknown name)."""
    return _(TABLE_CAPTIONS[name])


#: The rows of the survival tables of the R/R and MRD+ chapters: table name -> {row label (a
#: catalog message): (population, endpoint)} (the labels read in the reader's language on the
#: page; the CSV download keeps them in English, as the populations' machine description).
SURVIVAL_ROWS: dict[str, dict[str, tuple[str, str]]] = {
    "rr-survival": {
        N_("all R/R, OS from day 1"): ("rr", "OS"),
        N_("all R/R, EFS from day 1"): ("rr", "EFS"),
        N_("after a prior allo-HSCT, OS from day 1"): ("rr_prior_hsct", "OS"),
        N_("without a prior allo-HSCT, OS from day 1"): ("rr_no_prior_hsct", "OS"),
        N_("R/R non-responders, OS from day 1"): ("rr_non_responders", "OS"),
        N_("R/R responders, RFS from response"): ("rr_responders", "RFS"),
        N_("R/R responders, RFS from response, censored at allo-HSCT"): ("rr_responders",
                                                                         "RFS_HSCT"),
    },
    "mrd-survival": {
        N_("MRD+ group, OS from day 1"): ("mrd", "OS"),
        N_("MRD+ group, DFS from day 1"): ("mrd", "DFS"),
        N_("MRD+ group, DFS from day 1, censored at allo-HSCT"): ("mrd", "DFS_HSCT"),
        N_("MRD non-responders, DFS from day 1"): ("mrd_non_responders", "DFS"),
        N_("MRD responders, RFS from response"): ("mrd_responders", "RFS"),
        N_("all responders, RFS from response"): ("responders", "RFS"),
    },
}

#: The rows of the survival table from the day of a transplant: row label -> endpoint of
#: :data:`~blina_analysis.definitions.POST_HSCT_ENDPOINTS`.
AFTER_HSCT_ROWS: dict[str, str] = {N_("OS after HSCT"): "OS", N_("LFS after HSCT"): "LFS"}
