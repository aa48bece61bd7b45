// Page view of a scanned record: following a word's link (text -> box or box -> text) brings the other
// into view on narrow screens too; everything else works without script (links and :target).
(function () {
  "use strict";
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!/^[tw]\d+$/.test(id)) { return; }
    var el = document.getElementById(id);
    if (el && el.scrollIntoView) { el.scrollIntoView({ block: "center", inline: "nearest" }); }
  }
  window.addEventListener("hashchange", reveal);
  document.addEventListener("DOMContentLoaded", reveal);
})();
