// Despatch analysis charts: a PNG download made in the browser from the chart's own SVG (drawn on the
// server). No network, no inline script; without this file the SVG download and the tables remain.
"use strict";

function svgToPng(svg, name) {
  const clone = svg.cloneNode(true);
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const w = Number(svg.getAttribute("width")) || svg.clientWidth;
  const h = Number(svg.getAttribute("height")) || svg.clientHeight;
  const data = new XMLSerializer().serializeToString(clone);
  const img = new Image();
  img.onload = () => {
    const scale = 2; // sharper on print and high-density screens
    const canvas = document.createElement("canvas");
    canvas.width = w * scale;
    canvas.height = h * scale;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const a = document.createElement("a");
    a.href = canvas.toDataURL("image/png");
    a.download = name + ".png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
  img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(data);
}

function initPngButtons() {
  document.querySelectorAll("figure.an-chart").forEach((fig) => {
    const svg = fig.querySelector("svg");
    const button = fig.querySelector("button[data-png]");
    const span = fig.querySelector(".png-only");
    if (!svg || !button || !span) return;
    span.hidden = false;
    button.addEventListener("click", () => svgToPng(svg, "despatch-" + button.dataset.png));
  });
}

document.addEventListener("DOMContentLoaded", initPngButtons);
