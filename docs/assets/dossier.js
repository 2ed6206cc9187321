// The dossier's page behaviour, all progressive enhancement (without JavaScript every row shows,
// and a map sketch is a link to the map itself):
// - kind filter: buttons that show or hide a year's rows by event kind;
// - maps on demand: a click or tap on a map sketch swaps in the interactive map, so a page's
//   first view does not load Leaflet and the country outlines;
// - charts: a chart's paragraph is a tab stop only while it scrolls sideways (a phone);
// - print: a paper copy says where and when it was printed.
// Material's instant navigation swaps pages without reloading, so set up on each page (document$).
(function () {
  "use strict";

  function setUpFilter() {
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

  function openMap(event) {
    var link = event.currentTarget;
    event.preventDefault();
    var frame = document.createElement("iframe");
    // The map page's map gets most of the screen; a record's map, a box in the page.
    frame.className = link.closest(".dossier-sketch--page") ? "dossier-map dossier-map--tall" : "dossier-map";
    frame.src = link.getAttribute("href");
    frame.title = link.dataset.mapTitle || "Map";
    link.replaceWith(frame);
    frame.focus();
  }

  function setUpMaps() {
    document.querySelectorAll(".dossier-sketch__open").forEach(function (link) {
      if (link.dataset.ready) { return; }
      link.dataset.ready = "1";
      link.addEventListener("click", openMap);
    });
  }

  // The templates make a chart's paragraph focusable, so that without this script a phone's keyboard
  // can still scroll it (axe's scrollable-region-focusable). Where the chart fits (a desk) that is a
  // tab stop with nothing to do: drop it, and give it back when a narrower window makes it scroll.
  // Whether it scrolls is read from the image's minimum width (dossier.css), not from scrollWidth,
  // which is the box's own while content-visibility skips a chart below the first screen.
  function fitCharts() {
    document.querySelectorAll(".md-typeset p > img[src*='generated/charts/']").forEach(function (chart) {
      var box = chart.parentElement;
      if (parseFloat(getComputedStyle(chart).minWidth) > box.clientWidth) {
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }

  function stampPrint() {
    var address = document.querySelector(".dossier-print-address");
    var date = document.querySelector(".dossier-print-date");
    if (address) { address.textContent = window.location.href.split("#")[0]; }
    if (date) { date.textContent = " on " + new Date().toISOString().slice(0, 10); }
    // A closed note would not print: open them all for the paper copy.
    document.querySelectorAll(".md-typeset details").forEach(function (note) { note.open = true; });
  }

  function setUp() {
    setUpFilter();
    setUpMaps();
    // When idle: reading the widths would force the page's layout inside the theme's start-up task.
    if (window.requestIdleCallback) { window.requestIdleCallback(fitCharts); } else { setTimeout(fitCharts, 200); }
  }

  window.addEventListener("beforeprint", stampPrint);
  window.addEventListener("resize", fitCharts);
  if (typeof document$ !== "undefined") {
    document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
