// Timeline filter: buttons that show or hide rows by event kind.
// Progressive enhancement: without JavaScript the table shows every event.
// Material's instant navigation swaps pages without reloading, so run on each page (document$).
(function () {
  "use strict";

  function setUp() {
    var box = document.querySelector(".dossier-filter");
    var rows = document.querySelectorAll(".dossier-timeline tbody tr");
    if (!box || box.dataset.ready) { return; }
    box.dataset.ready = "1";
    var label = document.createElement("p");
    label.textContent = "Filter by kind (click to hide or show):";
    box.appendChild(label);
    var hidden = {};
    var colours = (box.dataset.colours || "").split(" ");
    (box.dataset.kinds || "").split(" ").filter(Boolean).forEach(function (kind, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "dossier-filter__kind";
      button.textContent = kind;
      button.setAttribute("aria-pressed", "true");
      if (colours[i]) { button.style.setProperty("--dossier-kind", colours[i]); }
      button.addEventListener("click", function () {
        hidden[kind] = !hidden[kind];
        button.setAttribute("aria-pressed", hidden[kind] ? "false" : "true");
        rows.forEach(function (row) { row.hidden = !!hidden[row.dataset.kind]; });
      });
      box.appendChild(button);
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
