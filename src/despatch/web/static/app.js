// Despatch reading room: small progressive enhancements. Every page works without this file.
"use strict";

function initAnnotationSwitches() {
  const text = document.getElementById("text");
  if (!text) return;
  document.querySelectorAll("input[data-ann]").forEach((box) => {
    const apply = () => text.classList.toggle("hide-" + box.dataset.ann, !box.checked);
    box.addEventListener("change", apply);
    apply();
  });
}

function initCitation() {
  const select = document.getElementById("cite-style");
  const button = document.getElementById("copy-cite");
  const status = document.getElementById("copy-status");
  const blocks = Array.from(document.querySelectorAll("pre.citation"));
  if (!blocks.length) return;
  const current = () => blocks.find((b) => !b.hidden) || blocks[0];
  if (select) {
    // Without scripts every style is shown; with them, one at a time, chosen here.
    const show = () => blocks.forEach((b) => { b.hidden = b.dataset.style !== select.value; });
    select.addEventListener("change", show);
    document.getElementById("cite-chooser").hidden = false;
    show();
  }
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const value = current().textContent;
    let ok = false;
    try {
      await navigator.clipboard.writeText(value);
      ok = true;
    } catch (e) {
      // Clipboard API refused (permissions, plain http): fall back to selecting the text.
      const range = document.createRange();
      range.selectNodeContents(current());
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      ok = document.execCommand && document.execCommand("copy");
    }
    status.textContent = ok ? "Copied." : "Select the citation and copy it.";
    button.dataset.copied = ok ? "yes" : "no";
  });
}

function initSimilar() {
  const box = document.getElementById("similar");
  if (!box || !box.dataset.src) return;
  fetch(box.dataset.src, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : null))
    .then((data) => {
      if (!data) return;
      const list = document.createElement("ul");
      data.similar.forEach((d) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = "/documents/" + d.id.split("/").map(encodeURIComponent).join("/");
        a.textContent = d.title || d.id; // textContent: never parsed as HTML
        li.appendChild(a);
        if (d.date) {
          const s = document.createElement("span");
          s.className = "muted";
          s.textContent = " " + d.date;
          li.appendChild(s);
        }
        list.appendChild(li);
      });
      if (!data.similar.length) {
        const li = document.createElement("li");
        li.textContent = "None found.";
        list.appendChild(li);
      }
      box.replaceChildren(list);
    })
    .catch(() => {});
}

document.addEventListener("DOMContentLoaded", () => {
  initAnnotationSwitches();
  initCitation();
  initSimilar();
});
