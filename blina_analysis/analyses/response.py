"""Response: categories among the patients assessed, the headline rates, and response by subgroup."""

from __future__ import annotations

import numpy as np
import pandas as pd

from blina_analysis import stats
from blina_analysis.data.schema import PENDING
from blina_analysis.definitions import PENDING_LABEL, RESPONSE_CATEGORIES, subgroup, subgroups
from blina_analysis.errors import NoInformation

__all__ = ["Responses"]


class Responses:
    """Response of each cohort (exact Clopper–Pearson intervals) and by subgroup."""

    def response_table(self, pop: str, column: str) -> pd.DataFrame:
        """Patients of ``pop`` by category of the response ``column``, and those not yet assessed.

        ``column`` is ``"hematologic_response"`` (R/R: CR, CRh, CR or CRh, NR, NE) or
        ``"mrd_response"`` (MRD negative, positive, not assessed); the categories are
        :data:`~blina_analysis.definitions.RESPONSE_CATEGORIES`. Columns ``code, label, n, N,
        rate, ci_low, ci_high`` (exact interval); ``N`` is the patients assessed, i.e. without
        ``pending``. A last row, code ``pending``, counts the patients not yet assessed, with
        ``N``, ``rate`` and the interval missing: they are in no denominator.
        """
        def compute():
            values = self.patients(pop)[column]
            pending = (values == PENDING).to_numpy(dtype=bool)
            assessed = values[~pending]
            rows = []
            for cat in RESPONSE_CATEGORIES[column]:
                hit = assessed.isin(cat.values) if cat.values else assessed.isna()
                p = stats.exact_ci(int(hit.sum()), len(assessed), self.conf_level)
                rows.append({"code": cat.code, "label": cat.label, "n": p.n, "N": p.N,
                             "rate": float(p.rate) if p.N else np.nan,
                             "ci_low": float(p.ci_low) if p.N else np.nan,
                             "ci_high": float(p.ci_high) if p.N else np.nan})
            rows.append({"code": PENDING, "label": PENDING_LABEL, "n": int(pending.sum()),
                         "N": np.nan, "rate": np.nan, "ci_low": np.nan, "ci_high": np.nan})
            return pd.DataFrame(rows)
        return self._cached(("response_table", pop, column), compute)

    def response_rate(self, pop: str, column: str, code: str) -> stats.Proportion:
        """One category of :meth:`response_table` among the patients assessed (exact CI)."""
        t = self.response_table(pop, column).set_index("code")
        if code == PENDING or code not in t.index:
            raise KeyError(f"no response category {code!r} of {column!r}")
        return stats.exact_ci(int(t.at[code, "n"]), int(t.at[code, "N"]), self.conf_level)

    def n_pending(self, pop: str, column: str) -> int:
        """Patients of ``pop`` whose ``column`` is not yet assessed (``pending``)."""
        return int((self.patients(pop)[column] == PENDING).sum())

    @property
    def rr_response(self) -> stats.Proportion:
        """CR/CRh among the R/R group assessed for response."""
        return self.response_rate("rr", "hematologic_response", "CR/CRh")

    @property
    def rr_mrd_negativity(self) -> stats.Proportion:
        """MRD negativity among R/R responders assessed for MRD (not assessed: not negative)."""
        return self.response_rate("rr_responders", "mrd_response", "negative")

    @property
    def mrd_response(self) -> stats.Proportion:
        """MRD negativity in the MRD+ group assessed for response."""
        return self.response_rate("mrd", "mrd_response", "negative")

    def subgroup_response(self, pop: str = "rr_assessed") -> pd.DataFrame:
        """Response by subgroup: one row per level, with Fisher's exact p per subgroup.

        Subgroups and levels are :func:`~blina_analysis.definitions.subgroups`. Columns
        ``code, level_code, subgroup, level, n, N, rate, ci_low, ci_high, p_value, test,
        n_missing``. A subgroup variable with fewer than two known levels (e.g. Ph status not
        recorded) is left out. The default population leaves out responses not yet assessed.
        """
        def compute():
            sub = self.patients(pop)
            rows = []
            for sg in subgroups():
                values = sub[sg.column]
                if values.notna().sum() == 0 or values.dropna().nunique() < 2:
                    continue
                table = stats.compare_proportions(sub["responder"].to_numpy(),
                                                  values.to_numpy(dtype=object),
                                                  conf_level=self.conf_level)
                table = table.set_index("level")
                present = [lv for lv in sg.levels if lv.label in table.index]
                for i, lv in enumerate(present):
                    r = table.loc[lv.label]
                    rows.append({
                        "code": sg.code, "level_code": lv.code,
                        "subgroup": sg.heading, "level": lv.label,
                        "n": int(r["n"]), "N": int(r["N"]), "rate": float(r["rate"]),
                        "ci_low": float(r["ci_low"]), "ci_high": float(r["ci_high"]),
                        "p_value": float(table.attrs["p_value"]) if i == 0 else np.nan,
                        "test": table.attrs["test_name"] if i == 0 else "",
                        "n_missing": int(table.attrs["n_missing"]) if i == 0 else 0,
                    })
            return pd.DataFrame(rows, columns=["code", "level_code", "subgroup", "level", "n", "N", "rate", "ci_low",
                                               "ci_high", "p_value", "test", "n_missing"])
        return self._cached(("subgroups", pop), compute)

    def compared_subgroups(self, pop: str = "rr_assessed") -> pd.DataFrame:
        """:meth:`subgroup_response`, or :class:`~blina_analysis.errors.NoInformation` when the
        population is empty or no subgroup variable has two known values in it."""
        self.require(pop)
        t = self.subgroup_response(pop)
        if t.empty:
            raise NoInformation("no_comparable_subgroup", pop=pop)
        return t

    def subgroup_state(self, code: str, pop: str = "rr_assessed") -> str:
        """Whether subgroup ``code`` (:func:`~blina_analysis.definitions.subgroups`) is compared
        in :meth:`subgroup_response`: ``"compared"``, or why not: ``"empty"`` (no patient in
        ``pop``), ``"unknown"`` (no known value) or ``"single"`` (one known value only)."""
        if self.n(pop) == 0:
            return "empty"
        t = self.subgroup_response(pop)
        if (t["code"] == code).any():
            return "compared"
        column = subgroup(code).column
        return "unknown" if self.patients(pop)[column].notna().sum() == 0 else "single"

    def subgroup_reason(self, code: str, pop: str = "rr_assessed") -> NoInformation | None:
        """Why subgroup ``code`` is not in :meth:`subgroup_response` (None if it is)."""
        state = self.subgroup_state(code, pop)
        return {
            "compared": None,
            "empty": NoInformation("empty_population", pop=pop),
            "unknown": NoInformation("subgroup_unknown", subgroup=code, pop=pop),
            "single": NoInformation("subgroup_single_value", subgroup=code, pop=pop),
        }[state]

    def subgroup_rate(self, code: str, level: str, pop: str = "rr_assessed") -> stats.Proportion:
        """Response in one level of a subgroup (codes of
        :func:`~blina_analysis.definitions.subgroups`, e.g. ``("blasts", "low")``).

        Raises :class:`~blina_analysis.errors.NoInformation` when the subgroup is not compared
        or the level has no patient.
        """
        label = subgroup(code).level(level).label
        t = self.subgroup_response(pop)
        row = t[(t["code"] == code) & (t["level"] == label)] if len(t) else t
        if row.empty:
            raise (self.subgroup_reason(code, pop)
                   or NoInformation("subgroup_level_empty", subgroup=code, level=level))
        return stats.exact_ci(int(row["n"].iloc[0]), int(row["N"].iloc[0]), self.conf_level)
