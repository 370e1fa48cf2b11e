"""Description of the cohorts: Table 1, the flow diagram's counts, the course of each patient, and
the comparison with the pivotal trials."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from blina_analysis import stats
from blina_analysis.data.schema import PENDING
from blina_analysis.definitions import RESPONSE_LANDMARK_DAYS
from blina_analysis.i18n import N_

#: The states of the course of each patient, initial state first (codes; the figure names them).
COURSE_STATES = ("not_yet", "response", "no_response", "hsct", "relapse", "death")
#: The moves the course allows; an event that would move elsewhere leaves the state as it is
#: (a transplant after relapse stays "relapse", the state that decides the prognosis).
_COURSE_MOVES = {
    "not_yet": ("response", "no_response", "hsct", "death"),
    "response": ("hsct", "relapse", "death"),
    "no_response": ("hsct", "death"),
    "hsct": ("relapse", "death"),
    "relapse": ("death",),
    "death": (),
}


__all__ = ["Description", "Screening", "pivotal_comparison", "subgroup_forest_table",
           "THIS_TRIAL"]


@dataclass(frozen=True)
class Screening:
    """Who came before the treated patients, as ``dataset.yaml`` records it.

    ``screened`` is None when not recorded; ``excluded`` (screened, not enrolled) and
    ``not_treated`` (enrolled, never started blinatumomab) are ``(reason, count)`` pairs, empty
    when not recorded; ``treated`` counts the patient table.
    """

    screened: int | None
    excluded: tuple[tuple[str, int], ...]
    not_treated: tuple[tuple[str, int], ...]
    treated: int

    @property
    def enrolled(self) -> int:
        """Treated patients plus those enrolled but never treated."""
        return self.treated + sum(n for _, n in self.not_treated)


class Description:
    """Descriptive tables and counts of the cohorts."""

    def disposition(self) -> dict[str, int]:
        """Counts for the flow diagram, by cohort; the counts of each level add up to their parent.

        ``enrolled`` = ``mrd`` + ``rr`` (the cohorts). For each cohort prefix ``p`` (``mrd``,
        ``rr``): ``p`` = ``p_pending`` (response not yet assessed) + ``p_responders`` +
        ``p_non_responders``. The responders split by category (R/R: ``rr_cr`` + ``rr_crh``)
        and the non-responders too (R/R: ``rr_nr`` + ``rr_ne``; MRD group: ``mrd_positive`` +
        ``mrd_not_assessed``). Responders = ``p_hsct_after`` + ``p_no_hsct_after`` (allo-HSCT
        after blinatumomab or not), and each of these = ``…_alive_in_remission`` +
        ``…_relapsed`` + ``…_died_without_relapse`` at last follow-up (e.g.
        ``rr_hsct_after_relapsed``). Non-responders = ``p_non_responders_alive`` +
        ``p_non_responders_died``.
        """
        a = self.adsl
        out = {"enrolled": len(a)}
        breakdown = {"rr": ("hematologic_response", ("CR", "CRh"), ("NR", "NE")),
                     "mrd": ("mrd_response", (), ("positive", "not assessed"))}
        for code, group in (("mrd", "MRD"), ("rr", "RR")):
            g = a[a["group"] == group]
            status = g["response_status"]
            resp, non = g[g["responder"]], g[status == "non-responder"]
            out[code] = len(g)
            out[f"{code}_pending"] = int((status == PENDING).sum())
            out[f"{code}_responders"] = len(resp)
            out[f"{code}_non_responders"] = len(non)
            column, responder_codes, non_responder_codes = breakdown[code]
            table = self.response_table(code, column).set_index("code")["n"]
            for c in (*responder_codes, *non_responder_codes):
                out[f"{code}_{c.lower().replace(' ', '_')}"] = int(table[c])
            for branch, sub in (("hsct_after", resp[resp["hsct_after_bc"]]),
                                ("no_hsct_after", resp[~resp["hsct_after_bc"]])):
                relapse, death = sub["relapse"].to_numpy(bool), sub["death"].to_numpy(bool)
                out[f"{code}_{branch}"] = len(sub)
                out[f"{code}_{branch}_alive_in_remission"] = int((~relapse & ~death).sum())
                out[f"{code}_{branch}_relapsed"] = int(relapse.sum())
                out[f"{code}_{branch}_died_without_relapse"] = int((death & ~relapse).sum())
            out[f"{code}_non_responders_alive"] = int((~non["death"].to_numpy(bool)).sum())
            out[f"{code}_non_responders_died"] = int(non["death"].to_numpy(bool).sum())
        return out

    def screening(self) -> Screening:
        """Screening, exclusions and patients enrolled but not treated (where recorded)."""
        meta = self.dataset.meta
        return Screening(screened=meta.screened, excluded=meta.excluded,
                         not_treated=meta.not_treated, treated=len(self.adsl))

    def swimmer_lanes(self) -> pd.DataFrame:
        """One anonymous lane per patient, days from the start (no IDs, no calendar dates)."""
        a = self.adsl
        start = a["bc_start_date"]

        def days(col):
            return (a[col] - start).dt.days.astype(float).to_numpy()

        resp = a["responder"].to_numpy()
        mrd_neg = ((a["group"] == "MRD") & a["responder"]).to_numpy()
        lanes = pd.DataFrame({
            "group": np.where(a["group"] == "MRD", "MRD+", "R/R"),
            "followup_days": a["followup_days"].to_numpy(),
            "response_days": np.where(resp & ~mrd_neg, days("response_date"), np.nan),
            "mrd_negative_days": np.where(mrd_neg, days("response_date"), np.nan),
            "hsct_days": days("hsct_after_bc_date"),
            "relapse_days": days("relapse_date"),
            "death_days": days("death_date"),
            "ongoing": ~a["death"].to_numpy(),
            "no_response": (a["response_status"] == "non-responder").to_numpy(),
        })
        lanes = lanes.sort_values(["group", "followup_days"], kind="mergesort")
        return lanes.assign(lane=np.arange(len(lanes))).reset_index(drop=True)

    def course_rows(self) -> pd.DataFrame:
        """The course of each patient as counting-process rows for
        :func:`~blina_analysis.stats.state_occupation`: columns ``lane, group, tstart, tstop,
        from_state, to_state`` (days from the start; ``lane`` is anonymous).

        Every patient starts in ``not_yet`` (response not yet assessed) and moves to
        ``response`` on the response date, to ``no_response`` at the response assessment
        (:data:`~blina_analysis.definitions.RESPONSE_LANDMARK_DAYS`) if assessed without response,
        to ``hsct`` on the day of an allo-HSCT after blinatumomab, to ``relapse`` and to ``death``
        (moves in :data:`_COURSE_MOVES`; events of one day count once, the later state in that
        order). A patient still pending stays ``not_yet``. Follow-up ends at last contact; a
        patient followed for 0 days has no interval and no row.
        """
        lanes = self.swimmer_lanes()
        order = {s: i for i, s in enumerate(COURSE_STATES)}
        rows = []
        for lane in lanes.itertuples(index=False):
            fu = float(lane.followup_days)
            events = [(lane.response_days, "response"), (lane.mrd_negative_days, "response"),
                      (RESPONSE_LANDMARK_DAYS if lane.no_response else np.nan, "no_response"),
                      (lane.hsct_days, "hsct"), (lane.relapse_days, "relapse"),
                      (lane.death_days, "death")]
            events = sorted(((float(t), s) for t, s in events if np.isfinite(t) and t <= fu),
                            key=lambda e: (e[0], order[e[1]]))
            t0, state = 0.0, "not_yet"
            for t, target in events:
                if target not in _COURSE_MOVES[state]:
                    continue
                if t > t0:
                    rows.append((lane.lane, lane.group, t0, t, state, target))
                    t0 = t
                elif rows and rows[-1][0] == lane.lane:  # a second event on the same day
                    rows[-1] = (*rows[-1][:5], target)
                else:  # an event on day 0: no interval to carry it
                    continue
                state = target
            if state != "death" and fu > t0:
                rows.append((lane.lane, lane.group, t0, fu, state, state))
        return pd.DataFrame(rows, columns=["lane", "group", "tstart", "tstop", "from_state",
                                           "to_state"])

    def state_occupation(self) -> dict:
        """Aalen-Johansen probabilities of each state of :meth:`course_rows`, by cohort
        (``"MRD+"``, ``"R/R"``; a cohort without rows is left out)."""
        rows = self.course_rows()
        out = {}
        for group in ("MRD+", "R/R"):
            sub = rows[rows["group"] == group]
            if len(sub):
                out[group] = stats.state_occupation(sub["lane"], sub["tstart"], sub["tstop"],
                                                    sub["from_state"], sub["to_state"],
                                                    COURSE_STATES)
        return out

    def table1(self) -> pd.DataFrame:
        """Patient characteristics by cohort (numbers; :func:`tables.table1` formats them).

        Columns ``characteristic, level, kind`` and, for each of ``MRD``, ``RR`` and ``all``:
        ``n`` (count) and ``N`` for categorical rows, or ``median, min, max, n`` for continuous
        rows. Missing values are shown as their own level ``missing``.
        """
        a = self.adsl
        groups = {"MRD": a[a["group"] == "MRD"], "RR": a[a["group"] == "RR"], "all": a}
        rows = []

        def continuous(name, column):
            row = {"characteristic": name, "level": N_("median (range)"), "kind": "continuous"}
            for g, sub in groups.items():
                v = sub[column].dropna().astype(float)
                row[f"{g}_median"] = float(v.median()) if len(v) else np.nan
                row[f"{g}_min"] = float(v.min()) if len(v) else np.nan
                row[f"{g}_max"] = float(v.max()) if len(v) else np.nan
                row[f"{g}_n"] = int(len(v))
                row[f"{g}_N"] = int(len(sub))
            rows.append(row)

        def categorical(name, column, levels, labels=None):
            values = {g: sub[column] for g, sub in groups.items()}
            show = list(levels) + (["missing"] if any(v.isna().any() for v in values.values())
                                   else [])
            for lv in show:
                row = {"characteristic": name,
                       "level": (labels or {}).get(lv, lv), "kind": "categorical"}
                for g, v in values.items():
                    row[f"{g}_n"] = int(v.isna().sum() if lv == "missing" else (v == lv).sum())
                    row[f"{g}_N"] = int(len(v))
                rows.append(row)

        continuous(N_("Age, years"), "age")
        categorical(N_("Sex"), "sex", ["M", "F"], {"M": N_("male"), "F": N_("female")})
        categorical(N_("Prior allo-HSCT"), "prior_allo_hsct", [True], {True: N_("yes")})
        categorical(N_("Cytogenetic risk"), "cytogenetic_risk", ["standard", "high"])
        if a["ph_status"].notna().any():
            categorical(N_("Ph status"), "ph_status", ["negative", "positive"],
                        {"negative": "Ph−", "positive": "Ph+"})
        continuous(N_("Marrow blasts, %"), "marrow_blasts_pct")
        continuous(N_("Blinatumomab cycles"), "cycles")
        return pd.DataFrame(rows)


#: The ``label`` of this build's rows in :func:`pivotal_comparison` (the others name a trial).
THIS_TRIAL = "this_trial"


def pivotal_comparison(an) -> pd.DataFrame:
    """Response rates of this trial beside the pivotal trials' (rows flagged for the forest plot).

    Columns ``group, label, n, N, rate, ci_low, ci_high, ci_source``, as codes and names: ``group``
    is the comparison (``rr``: CR/CRh in R/R; ``mrd``: MRD negativity in the MRD+ group),
    ``label`` is :data:`THIS_TRIAL` for this build's row or the published trial's name, and
    ``ci_source`` says where the interval comes from: ``exact`` (Clopper–Pearson, this build),
    ``published`` (the trial reported one) or ``exact_from_published_n`` (Clopper–Pearson, computed
    here from the trial's reported n/N). :func:`~blina_analysis.report.figures.
    pivotal_forest_plot` words them.
    """
    from blina_analysis.data.published import pivotal_trials

    rows = []
    ours = {"rr": an.rr_response, "mrd": an.mrd_response}
    trials = pivotal_trials()
    for group, p in ours.items():
        if p.N:  # an empty cohort has no rate to show beside the trials'
            rows.append({"group": group, "label": THIS_TRIAL, "n": p.n, "N": p.N,
                         "rate": p.rate, "ci_low": p.ci_low, "ci_high": p.ci_high,
                         "ci_source": "exact"})
        for t in trials[trials["forest"] == group].to_dict("records"):
            if pd.notna(t["ci_low"]):
                lo, hi, src = t["ci_low"], t["ci_high"], "published"
            else:
                exact = stats.exact_ci(int(t["n"]), int(t["N"]))
                lo, hi, src = exact.ci_low, exact.ci_high, "exact_from_published_n"
            rows.append({"group": group, "label": t["trial"], "n": int(t["n"]),
                         "N": int(t["N"]), "rate": int(t["n"]) / int(t["N"]), "ci_low": lo,
                         "ci_high": hi, "ci_source": src})
    return pd.DataFrame(rows)


def subgroup_forest_table(an, pop: str = "rr_assessed") -> pd.DataFrame:
    """:meth:`Analysis.subgroup_response` in the columns :func:`figures.forest_plot` expects,
    with a row ``unknown`` after the levels of a subgroup whose value some patients lack.

    Columns ``group, label, n, N, rate, ci_low, ci_high`` (exact interval), ``difference,
    diff_ci_low, diff_ci_high`` (first level minus second, on the subgroup's first row),
    ``p_value`` (Holm-adjusted; NaN where not tested), ``exploratory`` and ``unknown`` (True on
    the rows of patients whose value is unknown, which are in no comparison).

    Raises :class:`~blina_analysis.errors.NoInformation` when no subgroup can be compared.
    """
    t = an.compared_subgroups(pop)
    rows = []
    for code, block in t.groupby("code", sort=False):
        for r in block.to_dict("records"):
            rows.append({"group": r["subgroup"], "label": r["level"], "n": r["n"], "N": r["N"],
                         "rate": r["rate"], "ci_low": r["ci_low"], "ci_high": r["ci_high"],
                         "difference": r["difference"], "diff_ci_low": r["diff_ci_low"],
                         "diff_ci_high": r["diff_ci_high"], "p_value": r["p_holm"],
                         "exploratory": bool(r["exploratory"]), "unknown": False})
        unknown = an.subgroup_unknown(code, pop)
        if unknown.N:
            rows.append({"group": block["subgroup"].iloc[0], "label": N_("unknown"),
                         "n": unknown.n, "N": unknown.N, "rate": unknown.rate,
                         "ci_low": unknown.ci_low, "ci_high": unknown.ci_high,
                         "difference": np.nan, "diff_ci_low": np.nan, "diff_ci_high": np.nan,
                         "p_value": np.nan, "exploratory": bool(block["exploratory"].iloc[0]),
                         "unknown": True})
    return pd.DataFrame(rows)
