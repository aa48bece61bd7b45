// Hit navigation on a document opened from a search: "match 3 of 17", next/previous with buttons and the
// keys n and p. The matches are marked by the server (<mark class="hit" data-m="N">, the first piece of
// match N with id="mN"); without this file the page still shows every mark and links to the first one.
"use strict";

function initHitNavigation() {
  const nav = document.getElementById("hitnav");
  if (!nav) return;
  const count = parseInt(nav.dataset.count, 10) || 0;
  if (!count) return;
  const status = document.getElementById("hit-status");
  const prev = document.getElementById("hit-prev");
  const next = document.getElementById("hit-next");
  const first = document.getElementById("hit-first");
  let current = 0;

  const pieces = (n) => document.querySelectorAll('mark.hit[data-m="' + n + '"]');

  function go(n) {
    n = ((n - 1 + count) % count) + 1; // past the last match comes the first again
    if (current) pieces(current).forEach((m) => m.classList.remove("current"));
    current = n;
    pieces(n).forEach((m) => m.classList.add("current"));
    status.textContent = "match " + n + " of " + count;
    nav.dataset.current = String(n);
    const mark = document.getElementById("m" + n);
    if (mark) mark.scrollIntoView({ block: "center" });
    history.replaceState(history.state, "", "#m" + n);
  }

  prev.hidden = false;
  next.hidden = false;
  document.getElementById("hit-keys").hidden = false;
  if (first) first.hidden = true;
  prev.addEventListener("click", () => go(current - 1));
  next.addEventListener("click", () => go(current + 1));
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === "n") { e.preventDefault(); go(current + 1); }
    else if (e.key === "p") { e.preventDefault(); go(current - 1); }
  });
  // Open at the match the link asked for (#mN after a reload), else the first one in the paragraph.
  const m = /^#m(\d+)$/.exec(location.hash);
  const start = m && +m[1] >= 1 && +m[1] <= count ? +m[1] : parseInt(nav.dataset.first, 10) || 1;
  go(start);
}

document.addEventListener("DOMContentLoaded", initHitNavigation);
