// The edition switcher and the banner of an earlier edition, in a versioned site; the citation
// box opened by the edition bar's "Cite" link (blina_analysis.publish.sphinx_ext).
// Everything is relative: the site's versions.json sits one folder above the edition's root, and
// each entry's "path" is relative to the site's root, so a site works wherever it is served.
"use strict";


async function blinaGoTo(target, fallback) {
  try {
    const head = await fetch(target, { method: "HEAD" });
    window.location.href = head.ok ? target : fallback;
  } catch (err) {
    window.location.href = fallback;
  }
}

async function blinaEditions() {
  const bar = document.querySelector(".blina-edition-bar[data-versioned='true']");
  if (!bar) return;
  // a further language's pages are one folder below their edition's (<edition>/ru/): the
  // versions.json sits one more folder up, and every edition's page keeps the language
  const langPath = bar.dataset.langPath || "";
  const siteRoot = bar.dataset.root + "../".repeat(langPath.split("/").length - 1) + "../";
  const page = langPath + bar.dataset.page;
  let words = {};
  try {
    words = JSON.parse(bar.dataset.words || "{}");
  } catch (err) {
    words = {};
  }
  const say = (key, fallback, values = {}) =>
    (words[key] || fallback).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
  // versions.json writes ISO dates; a Russian page writes them 30.06.2018 (site_words.local_date)
  const russian = (document.documentElement.lang || "").startsWith("ru");
  const localDate = (iso) => (russian && /^\d{4}-\d{2}-\d{2}$/.test(iso || "")
    ? iso.split("-").reverse().join(".") : iso);
  const current = bar.dataset.edition;
  let entries;
  try {
    const response = await fetch(siteRoot + "versions.json", { cache: "no-cache" });
    if (!response.ok) return;
    entries = await response.json();
  } catch (err) {
    console.warn("blina: no versions.json beside this edition; no edition switcher", err);
    return;
  }
  const select = bar.querySelector("select.blina-edition-switcher");
  for (const entry of entries) {
    // the entry's name is English ("<edition> (data cut-off <date>)"): said in the page's words
    const label = (entry.data_cutoff ? `${entry.version} (${say("cutoff", "data cut-off {cutoff}",
      { cutoff: localDate(entry.data_cutoff) })})` : (entry.name || entry.version)) +
      (entry.withdrawn ? ` \u2014 ${say("withdrawnMark", "withdrawn")}` : "");
    const option = new Option(label, entry.version);
    if (entry.withdrawn) option.className = "blina-withdrawn";
    option.selected = entry.version === current;
    select.add(option);
  }
  select.closest("label").hidden = false;
  select.addEventListener("change", () => {
    const entry = entries.find((e) => e.version === select.value);
    if (entry) blinaGoTo(siteRoot + entry.path + page,
                        siteRoot + entry.path + langPath + "index.html");
  });

  const latest = entries.find((e) => e.preferred);
  const here = entries.find((e) => e.version === current);
  const withdrawn = here && here.withdrawn;
  if (!latest || (latest.version === current && !withdrawn)) return;
  const banner = document.querySelector(".blina-edition-banner");
  const link = document.createElement("a");
  link.className = "blina-latest-link";
  link.href = siteRoot + latest.path + page;
  link.textContent = say("latest", "read this page in the latest edition");
  link.addEventListener("click", (event) => {
    event.preventDefault();
    blinaGoTo(link.href, siteRoot + latest.path + langPath + "index.html");
  });
  const text = document.createElement("span");
  if (withdrawn) {
    banner.classList.add("blina-withdrawn-banner");
    const reason = /[.!?]$/.test(withdrawn.reason) ? withdrawn.reason : withdrawn.reason + ".";
    text.textContent = say("withdrawn", "This edition ({current}) was withdrawn on {date}. " +
      "Reason: {reason} It stays readable so that citations keep working; ",
                           { current, date: localDate(withdrawn.date), reason });
  } else {
    text.textContent = say("earlier", "You are reading edition {current}, an earlier edition. " +
      "The latest is {latest}", { current, latest: latest.version }) +
      (latest.data_cutoff ? ` (${say("cutoff", "data cut-off {cutoff}",
                                     { cutoff: localDate(latest.data_cutoff) })})` : "") + ": ";
  }
  banner.append(text, link, document.createTextNode("."));
  banner.hidden = false;
}

// "Cite" in the edition bar opens the citation box it points to.
function blinaOpenCitation() {
  if (window.location.hash !== "#cite-this-edition") return;
  const box = document.getElementById("cite-this-edition");
  if (box) box.open = true;
}

document.addEventListener("DOMContentLoaded", () => {
  blinaOpenCitation();
  blinaEditions();
});
window.addEventListener("hashchange", blinaOpenCitation);
