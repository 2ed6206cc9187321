/* Explore page (/explore/): a map, a time histogram and a list of events showing one selection,
 * made with filters whose state is the page's address. The page and its index are written by
 * dossier/explore.py, which documents the index's columns; the query-string parameters are
 * documented on the page itself (templates/explore.html.j2) and in docs/methodology.md.
 *
 * The page's template loads it; it does nothing unless the page has #dx. uPlot (the histogram; npm
 * package "uplot", copied into the site by dossier/explore.py) loads while the index does, once Intl has
 * started (startIntl), Leaflet and the country outlines only once the map's box is in view (watchMap),
 * all from the site itself.
 *
 * Start-up runs in slices of a few milliseconds (runSteps): the index's parts parsed one by one
 * (readPart), the list and total first, then the histogram, the filters, and the map: a phone's
 * browser stays responsive while ten thousand events are decoded (Lighthouse's total blocking time;
 * bench/README.md, explore).
 *
 * Markers are clustered here, on a grid at the current zoom over the visible area, rather than by
 * Leaflet.markercluster as on the map page: markercluster clusters every marker at every zoom
 * level when markers are added, which took 0.7 to 2 s per filter change at 10,000 events; the grid
 * costs one pass over the selection (bench/explore.py measures a redraw).
 *
 * Contributor text (titles, names, places) reaches the page only through textContent or
 * DOM properties, never innerHTML.
 */
(function () {
  "use strict";

  // List rows shown at once, "Show more" adding as many: fewer at phone widths, where the list is not
  // a scrolling box of its own but part of the page.
  // The width below which explore.css makes the filters a drawer.
  var DRAWER = window.matchMedia ? window.matchMedia("(max-width: 60em)") : {matches: false};
  var PAGE_SIZE = DRAWER.matches ? 25 : 100;
  var DAY_MS = 86400000;
  var DATE_TEXT = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
  // Display order of the facets; the query string lists them in PARAMETERS order (dossier/explore.py).
  var FACETS = ["kind", "contested", "confidence", "country", "actor", "system"];
  var PARAMETERS = ["kind", "actor", "system", "country", "confidence", "contested", "from", "to"];
  var loading = {};
  // The sentences this script writes, from the page (#dx-messages, in the page's language), and numbers
  // and dates formatted for that language: the French page reads French without a word of it here.
  var messages = {}, lang = "en", groupWith = "", months = null, plurals = null;

  function say(key, values) {
    // A message with its {name} values filled in, in one pass: a value's own braces stay as they are.
    return (messages[key] || "").replace(/\{(\w+)\}/g, function (all, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function sayCount(key, n, values) {
    // A message with a count: its -one or -other form, as the page language's plural rule picks.
    plurals = plurals || new Intl.PluralRules(lang);
    var form = plurals.select(n) === "one" ? "One" : "Other";
    return say(key + form, Object.assign({n: num(n)}, values));
  }

  function failure(key, values) {
    // An error whose message is one of the page's sentences (#dx-messages), so it can be shown as it is.
    var error = new Error(say(key, values));
    error.said = true;
    return error;
  }

  function failed(error) {
    // The browser's own words for a dropped connection or a broken index are in its language, not the page's.
    return say("failed", {error: error && error.said ? error.message : say("failedRead")});
  }

  function num(n) {
    // Digits grouped as the generator's pages group them (i18n.number): English "1000", French "1 000",
    // its separator read from the page's own "1000" (#dx-messages). Not Intl.NumberFormat: making one
    // cost the page's start-up 20 to 40 ms in a single task.
    var text = String(n);
    return groupWith && text.length > 3 ? text.replace(/\B(?=(\d{3})+$)/g, groupWith) : text;
  }

  // --- start-up in slices -----------------------------------------------------------------
  // Lighthouse counts every task over 50 ms on a phone four times slower than this machine as blocking:
  // the start-up runs as steps, and yields to the browser whenever a slice has run SLICE_MS.
  var SLICE_MS = 8;
  var FACET_CHUNK = 60;  // checkboxes made per step
  var EVENT_CHUNK = 1000;  // events decoded or placed on the map per step

  function nextTask() {
    // A promise settled in a new task, after the browser has had its turn (input, paint).
    if (window.scheduler && typeof window.scheduler.yield === "function") return window.scheduler.yield();
    return new Promise(function (resolve) {
      var channel = new MessageChannel();  // not setTimeout: nested timeouts wait 4 ms each
      channel.port1.onmessage = function () { resolve(); };
      channel.port2.postMessage(null);
    });
  }

  function afterFrame() {
    // A promise settled in a task after the next frame: what reads the layout (uPlot, Leaflet) then finds
    // it clean, and the frame, not that task, lays out what was written before.
    return new Promise(function (resolve) {
      window.requestAnimationFrame(function () { nextTask().then(resolve); });
    });
  }

  function runSteps(steps) {
    // Run the steps in order, as many per task as fit in a slice; a step may return a promise to wait for.
    var k = 0;
    function slice() {
      var began = performance.now();
      while (k < steps.length) {
        var result = steps[k++]();
        if (result && typeof result.then === "function") return result.then(function () { return nextTask().then(slice); });
        if (performance.now() - began > SLICE_MS && k < steps.length) return nextTask().then(slice);
      }
      return Promise.resolve();
    }
    return slice();
  }

  function chunks(n, size, work) {
    // Steps doing work(from, to) over 0..n in pieces of `size`.
    var steps = [];
    for (var a = 0; a < n; a += size) steps.push(work.bind(null, a, Math.min(n, a + size)));
    return steps;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function loadOnce(url, isStyle) {
    // Each library once per window: instant navigation keeps the window between pages.
    if (!loading[url]) {
      loading[url] = new Promise(function (resolve, reject) {
        var node = isStyle ? element("link") : element("script");
        if (isStyle) { node.rel = "stylesheet"; node.href = url; } else { node.src = url; }
        node.onload = resolve;
        node.onerror = function () { reject(failure("failedFile", {file: url})); };
        document.head.appendChild(node);
      });
    }
    return loading[url];
  }

  // --- dates ------------------------------------------------------------------------------

  function parseDate(text, atEnd) {
    // A date as in the data (2024, 2024-05, 2024-05-17) to a day number: its first day, or its last.
    var m = DATE_TEXT.exec(text);
    if (!m) return null;
    var y = Number(m[1]), mo = m[2] ? Number(m[2]) : null, d = m[3] ? Number(m[3]) : null;
    if (mo !== null && (mo < 1 || mo > 12)) return null;
    if (d !== null) {
      var t = Date.UTC(y, mo - 1, d);
      if (new Date(t).getUTCDate() !== d) return null;
      return t / DAY_MS;
    }
    if (mo !== null) return (atEnd ? Date.UTC(y, mo, 0) : Date.UTC(y, mo - 1, 1)) / DAY_MS;
    return (atEnd ? Date.UTC(y, 11, 31) : Date.UTC(y, 0, 1)) / DAY_MS;
  }

  function monthText(dayNumber) {
    var date = new Date(dayNumber * DAY_MS);
    var m = date.getUTCMonth() + 1;
    return date.getUTCFullYear() + "-" + (m < 10 ? "0" : "") + m;
  }

  function monthStart(dayNumber) {
    var date = new Date(dayNumber * DAY_MS);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
  }

  function nextMonth(dayNumber) {
    var date = new Date(dayNumber * DAY_MS);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
  }

  var today = {day: "", label: ""};

  function todayLabel() {
    // "30 November 2026", "30 novembre 2026": day, month name in the page's language, year (made once a day).
    var now = new Date(), key = now.toDateString();
    if (today.day !== key) {
      // The month's name from the index (explore.py's month_names): Intl's first date format costs 30-60 ms.
      var month = months ? months[now.getMonth()] : new Intl.DateTimeFormat(lang, {month: "long"}).format(now);
      today.day = key;
      today.label = now.getDate() + " " + month + " " + now.getFullYear();
    }
    return today.label;
  }

  // --- the index --------------------------------------------------------------------------

  function lineage(parents, system) {
    // A system and the systems it is a variant of: selecting a parent selects its variants' events.
    var out = [], seen = {};
    while (system >= 0 && !seen[system]) { seen[system] = true; out.push(system); system = parents[system]; }
    return out;
  }

  // The index's columns of events (dossier/explore.py documents them).
  var COLUMNS = ["id", "title", "date", "start", "span", "kind", "confidence", "actors", "systems", "countries",
    "contested", "place", "route"];

  function readPart(line) {
    // One part of the index: a line of its file, a JSON value followed by a comma but for the last
    // (explore.py's `encoded`). Parsed a part at a time, ten thousand events are short tasks, not one long one.
    return JSON.parse(line.charAt(line.length - 1) === "," ? line.slice(0, -1) : line);
  }

  function addPart(data, line) {
    // A part after the first: places, or values of one column of events, added after those read so far.
    var part = readPart(line), ev = part.events || {};
    if (part.places) append(data.raw.places, part.places);
    for (var name in ev) if (Object.prototype.hasOwnProperty.call(data.ev, name)) append(data.ev[name], ev[name]);
  }

  function append(list, values) {
    for (var j = 0; j < values.length; j++) list.push(values[j]);
  }

  function decode(raw) {
    // The index's tables (its first part) and facets, with room for each event's columns and values: the
    // other parts fill them, and decodeEvents the values, in slices.
    var n = raw.count, ev = {};
    raw.places = [];
    COLUMNS.forEach(function (name) { ev[name] = []; });
    var parents = raw.systems.map(function (s) { return s[2]; });
    var single = function (k) { return [k]; };  // one shared [k] per value: ten thousand events, a few arrays
    var facets = {
      kind: {ids: raw.kinds.map(function (k) { return k[0]; }),
        labels: raw.kinds.map(function (k) { return k[2] || k[0].replace(/-/g, " "); }),  // k[2]: translated
        values: new Array(n)},
      contested: {ids: ["yes"], labels: [raw.contestedLabel || "Only events where sources disagree"],
        values: new Array(n)},
      confidence: {ids: raw.confidence, labels: raw.confidenceLabels || raw.confidence, values: new Array(n)},
      country: {ids: raw.countries, labels: raw.countries, values: ev.countries},
      actor: {ids: raw.actors.map(function (a) { return a[0]; }),
        labels: raw.actors.map(function (a) { return a[1]; }), values: ev.actors},
      system: {ids: raw.systems.map(function (s) { return s[0]; }),
        labels: raw.systems.map(function (s) { return s[1]; }), values: new Array(n)},
    };
    FACETS.forEach(function (name) {
      var f = facets[name];
      f.name = name;
      f.position = {};
      f.ids.forEach(function (id, k) { f.position[id] = k; });
      f.mask = new Uint8Array(f.ids.length);
      f.selected = 0;
      f.counts = new Int32Array(f.ids.length);
    });
    // The histogram stacks the kinds by colour: kinds that share a colour on the map share a layer.
    var colours = raw.kinds.map(function (k) { return /^#[0-9a-fA-F]{3,8}$/.test(k[1]) ? k[1] : "#7f7f7f"; });
    var tones = colours.filter(function (c, k) { return colours.indexOf(c) === k; });
    return {n: n, raw: raw, ev: ev, start: new Int32Array(n), end: new Int32Array(n), facets: facets,
      located: new Uint8Array(n), mapped: new Uint8Array(n),  // a marker; a marker or a route drawn
      colours: colours, tones: tones, toneOf: colours.map(function (c) { return tones.indexOf(c); }),
      kindValues: facets.kind.ids.map(function (id, k) { return single(k); }),
      confidenceValues: facets.confidence.ids.map(function (id, k) { return single(k); }),
      lineages: parents.map(function (p, s) { return lineage(parents, s); }), at: 0};
  }

  function decodeEvents(data, from, to) {
    // Events from..to: dates to day numbers (each start is stored as a difference from the previous one),
    // and each facet's values; a system selects its variants' events too.
    var ev = data.ev, f = data.facets, places = data.raw.places, yes = [0], no = [];
    for (var i = from; i < to; i++) {
      data.at += ev.start[i];
      data.start[i] = data.at;
      data.end[i] = data.at + ev.span[i];
      f.kind.values[i] = data.kindValues[ev.kind[i]];
      f.confidence.values[i] = data.confidenceValues[ev.confidence[i]];
      f.contested.values[i] = ev.contested[i] ? yes : no;
      var place = ev.place[i] >= 0 ? places[ev.place[i]] : null, stops = 0;
      data.located[i] = place && place[1] !== null ? 1 : 0;
      if (ev.route[i]) for (var r = 0; r < ev.route[i].length; r++) if (places[ev.route[i][r]][1] !== null) stops++;
      data.mapped[i] = data.located[i] || stops >= 2 ? 1 : 0;
      var list = ev.systems[i];
      if (list.length === 1) {
        f.system.values[i] = data.lineages[list[0]];
      } else {
        var found = [];
        for (var j = 0; j < list.length; j++) {
          var line = data.lineages[list[j]];
          for (var k = 0; k < line.length; k++) if (found.indexOf(line[k]) < 0) found.push(line[k]);
        }
        f.system.values[i] = found;
      }
    }
  }

  // --- state and address ------------------------------------------------------------------

  function readAddress(data, state) {
    var query = new URLSearchParams(window.location.search);
    FACETS.forEach(function (name) {
      var f = data.facets[name];
      f.mask.fill(0);
      query.getAll(name).forEach(function (value) {
        value.split(",").forEach(function (part) {
          part = part.trim();
          if (name === "contested" && /^(yes|true|1)$/i.test(part)) part = "yes";
          if (Object.prototype.hasOwnProperty.call(f.position, part)) f.mask[f.position[part]] = 1;
        });
      });
      f.selected = f.mask.reduce(function (a, b) { return a + b; }, 0);
    });
    ["from", "to"].forEach(function (name) {
      var text = (query.get(name) || "").trim();
      var value = text ? parseDate(text, name === "to") : null;
      state[name] = value === null ? null : value;
      state[name + "Text"] = value === null ? "" : text;
    });
  }

  function address(data, state) {
    var parts = [];
    PARAMETERS.forEach(function (name) {
      if (name === "from" || name === "to") {
        if (state[name + "Text"]) parts.push(name + "=" + encodeURIComponent(state[name + "Text"]));
        return;
      }
      var f = data.facets[name], chosen = [];
      for (var k = 0; k < f.ids.length; k++) if (f.mask[k]) chosen.push(encodeURIComponent(f.ids[k]));
      if (chosen.length) parts.push(name + "=" + chosen.join(","));
    });
    return window.location.pathname + (parts.length ? "?" + parts.join("&") : "");
  }

  function describe(data, state) {
    // The view in words, for the citation: "kind delivery; actor Wagner Group; 2023 to 2024".
    var parts = [];
    FACETS.forEach(function (name) {
      var f = data.facets[name];
      if (!f.selected) return;
      if (name === "contested") { parts.push(say("viewContested")); return; }
      var chosen = [];
      for (var k = 0; k < f.ids.length; k++) if (f.mask[k]) chosen.push(f.labels[k]);
      parts.push(say("view" + name.charAt(0).toUpperCase() + name.slice(1)) + " " +
        chosen.join(" " + say("viewOr") + " "));
    });
    if (state.fromText || state.toText) {
      parts.push(say("viewPeriod", {start: state.fromText || say("viewStart"), end: state.toText || say("viewEnd")}));
    }
    return parts.length ? parts.join("; ") : say("viewAll");
  }

  // --- filtering --------------------------------------------------------------------------

  function matches(values, mask) {
    for (var j = 0; j < values.length; j++) if (mask[values[j]]) return true;
    return false;
  }

  function select(data, state) {
    // The events every filter keeps, each facet value's count under the other filters, the histogram's
    // counts under every filter but the period, and the chosen per month and colour: one pass.
    var chosen = selectStart(data, state);
    selectRange(data, state, chosen, 0, data.n);
    return chosen;
  }

  function selectStart(data, state) {
    // Zero the counts that selectRange adds to; return the empty selection.
    FACETS.forEach(function (name) { data.facets[name].counts.fill(0); });
    state.hist.counts.fill(0);
    state.histTones.fill(0);
    return [];
  }

  function selectRange(data, state, chosen, first, last) {
    // Events first..last-1 into the selection and the counts: the first draw goes in slices.
    var facets = FACETS.map(function (name) { return data.facets[name]; });
    var F = facets.length, PERIOD = F;
    var hist = state.hist, stacks = state.histTones, bins = hist.edges.length, kind = data.ev.kind;
    var from = state.from, to = state.to;
    for (var i = first; i < last; i++) {
      var fails = 0, failed = -1;
      for (var f = 0; f < F && fails < 2; f++) {
        if (facets[f].selected && !matches(facets[f].values[i], facets[f].mask)) { fails++; failed = f; }
      }
      if (fails < 2 && ((from !== null && data.end[i] < from) || (to !== null && data.start[i] > to))) {
        fails++; failed = PERIOD;
      }
      if (fails === 0) {
        chosen.push(i);
        hist.counts[hist.bin[i]]++;
        stacks[data.toneOf[kind[i]] * bins + hist.bin[i]]++;
        for (f = 0; f < F; f++) {
          var vs = facets[f].values[i], counts = facets[f].counts;
          for (var j = 0; j < vs.length; j++) counts[vs[j]]++;
        }
      } else if (fails === 1) {
        if (failed === PERIOD) {
          hist.counts[hist.bin[i]]++;
        } else {
          var values = facets[failed].values[i], c = facets[failed].counts;
          for (var k = 0; k < values.length; k++) c[values[k]]++;
        }
      }
    }
  }

  // --- the filters ------------------------------------------------------------------------

  function facetSteps(fieldset, f, onChange) {
    // The facet's values as steps of FACET_CHUNK checkboxes each, their counts written as they come:
    // a facet of five hundred actors would otherwise be one long task.
    var list = element("ul", "dx-values" + (f.ids.length > 12 ? " dx-long" : ""));
    f.boxes = [];
    f.countNodes = [];
    f.items = [];
    f.rows = [];
    f.shown = new Int32Array(f.ids.length).fill(-1);  // the count and zero state each value shows
    f.zero = new Uint8Array(f.ids.length).fill(2);
    var head = function () {
      if (fieldset.dataset.find && f.ids.length > 12) fieldset.appendChild(findBox(fieldset, f));
      fieldset.appendChild(list);
    };
    return [head].concat(chunks(f.ids.length, FACET_CHUNK, function (from, to) {
      var added = document.createDocumentFragment();
      for (var k = from; k < to; k++) added.appendChild(facetItem(f, k, onChange));
      list.appendChild(added);
      showFacetCounts(f, from, to);
    }));
  }

  function facetItem(f, k, onChange) {
    // One value of a facet: its checkbox, name and count.
    var item = element("li");
    var label = element("label");
    var box = element("input");
    box.type = "checkbox";
    box.name = f.name;
    box.value = f.ids[k];
    box.checked = !!f.mask[k];
    // The address holds the filters, not the browser's saved form state; and saving the state of every
    // box (Chromium does on each history.replaceState) took most of a redraw at 500 actors.
    box.autocomplete = "off";
    box.addEventListener("change", function () {
      f.mask[k] = box.checked ? 1 : 0;
      f.selected += box.checked ? 1 : -1;
      onChange();
    });
    label.appendChild(box);
    if (f.name === "kind") label.className = "dx-k" + k;  // its colour's swatch: the histogram's legend
    label.appendChild(element("span", "dx-name", f.labels[k]));
    var count = element("span", "dx-count", "0");
    label.appendChild(count);
    item.appendChild(label);
    f.boxes.push(box);
    f.countNodes.push(count.firstChild);  // its text: writing a text node's data makes no new node
    f.items.push(item);
    f.rows.push(label);
    return item;
  }

  function findBox(fieldset, f) {
    // A search field over a long facet's names and ids.
    var find = element("input", "dx-find");
    find.type = "search";
    find.autocomplete = "off";
    find.setAttribute("aria-label", fieldset.dataset.find);
    find.placeholder = fieldset.dataset.find;
    find.addEventListener("input", function () {
      var needle = find.value.trim().toLowerCase();
      f.items.forEach(function (item, k) {
        item.hidden = needle !== "" && f.labels[k].toLowerCase().indexOf(needle) < 0 &&
          f.ids[k].indexOf(needle) < 0;
      });
    });
    return find;
  }

  function showCounts(data) {
    // Each facet's values built so far (the rest get their counts as they are built).
    FACETS.forEach(function (name) {
      var f = data.facets[name];
      if (f.rows) showFacetCounts(f, 0, f.rows.length);
    });
  }

  function showFacetCounts(f, from, to) {
    // Only what changed is touched: a facet can have hundreds of values, and each write to the
    // document costs style and layout work after it. The class goes on the label, inside the item:
    // explore.css skips the style and layout of items out of view, but not of the items themselves.
    for (var k = from; k < to; k++) {
      var count = f.counts[k], zero = count === 0 && !f.mask[k] ? 1 : 0;
      if (f.shown[k] !== count) {
        f.countNodes[k].data = num(count);
        f.shown[k] = count;
      }
      if (f.zero[k] !== zero) {
        f.zero[k] = zero;
        f.rows[k].classList.toggle("dx-zero", zero === 1);
      }
      if (f.boxes[k].checked !== !!f.mask[k]) f.boxes[k].checked = !!f.mask[k];
    }
  }

  // --- the histogram ----------------------------------------------------------------------

  function histogramBins(data) {
    var first = data.n ? monthStart(data.start[0]) : 0, last = data.n ? monthStart(data.start[data.n - 1]) : 0;
    var edges = [];
    for (var m = first; m <= last; m = nextMonth(m)) edges.push(m);
    var bin = new Int32Array(data.n), at = 0;
    for (var i = 0; i < data.n; i++) {  // events are in date order, so the bins only move forward
      while (at + 1 < edges.length && edges[at + 1] <= data.start[i]) at++;
      bin[i] = at;
    }
    return {edges: edges, bin: bin, counts: new Float64Array(edges.length)};
  }

  function buildHistogram(node, data, state, onBrush, onClear) {
    var hist = state.hist;
    hist.xs = hist.edges.map(function (d) { return d * 86400 + 14 * 86400; });  // seconds, mid-month
    var bars = uPlot.paths.bars({size: [0.9, 40, 1]});
    var opts = {
      width: Math.max(node.clientWidth, 200), height: 150,
      legend: {show: false},
      cursor: {drag: {x: true, y: false, setScale: false}, points: {show: false}},
      scales: {x: {time: true}, y: {range: function (u, min, max) { return [0, Math.max(1, max)]; }}},
      axes: [{stroke: "currentColor", grid: {show: false}},
        {stroke: "currentColor", size: 40, grid: {stroke: "rgba(128,128,128,0.2)"}}],
      // The months outside the period chosen: outlined in the text's colour, which contrasts with the page in
      // either scheme. Then the chosen events, one layer per colour from the top down (histogramData).
      series: [{}, {label: say("otherPeriods"), paths: bars, fill: "rgba(128,128,128,0.2)", stroke: "currentColor",
        width: 1, points: {show: false}}].concat(data.tones.slice().reverse().map(function (tone) {
        return {label: say("selected"), paths: bars, fill: tone, stroke: "transparent", width: 0, points: {show: false}};
      })),
      hooks: {setSelect: [function (u) {
        if (u.select.width < 2) return;
        var left = u.posToVal(u.select.left, "x") / 86400, right = u.posToVal(u.select.left + u.select.width, "x") / 86400;
        onBrush(monthStart(left), nextMonth(right) - 1);
      }]},
    };
    // Made empty, and drawn by drawHistogram in a task of its own: making and drawing it took 20-40 ms at once.
    var plot = new uPlot(opts, null, node);
    plot.over.addEventListener("dblclick", onClear);
    return plot;
  }

  function histogramData(state, layers) {
    // The series after x: every month's count under all filters but the period, then the chosen stacked
    // by colour, each layer its running total drawn over the next (the last colour first, on top of it the rest).
    var hist = state.hist, n = hist.edges.length, all = Array.from(hist.counts), out = [];
    for (var g = 0; g < layers; g++) out.push(new Array(n));
    for (var k = 0; k < n; k++) {
      for (var run = 0, t = 0; t < layers; t++) { run += state.histTones[t * n + k]; out[layers - 1 - t][k] = run; }
    }
    return [all].concat(out);
  }

  function drawHistogram(plot, data, state) {
    // Drawn now (uPlot's batch), not in a microtask after the page's other writes: its axes' text in
    // "currentColor" then made Chromium restyle the page first (bench/explore.py: 8 ms a change).
    plot.batch(function () {
      plot.setData([state.hist.xs].concat(histogramData(state, data.tones.length)));
      plot.setSelect({left: 0, top: 0, width: 0, height: 0}, false);
    });
  }

  // --- the map ----------------------------------------------------------------------------

  function placeText(place) {
    return place[3] ? say("cardPrecision", {place: place[0], precision: place[3]}) : place[0];
  }

  function mapSteps(node, data, ds, onPick, chosen) {
    // The map as steps: Leaflet's map in the view of the events chosen, the country outlines a few at a
    // time, each event's position, the routes. The view it returns is complete when the steps have run.
    var view = {data: data, onPick: onPick, chosen: [], markers: new Map(), markersZoom: -1};
    var outlines = window.DOSSIER_COUNTRIES ? window.DOSSIER_COUNTRIES.features || [] : [];
    var borders = null;
    var steps = [function () {
      var map = view.map = L.map(node, {scrollWheelZoom: false, worldCopyJump: true});
      var bounds = chosenBounds(data, chosen);
      // Straight to the events' view: setting a view and then fitting it would draw the outlines twice.
      if (bounds.isValid()) map.fitBounds(bounds, {padding: [24, 24], maxZoom: 6, animate: false});
      else map.setView([15, 0], 4);
      if (map.attributionControl) map.attributionControl.setPrefix("Leaflet");
      if (ds.tiles) {
        L.tileLayer(ds.tiles, {attribution: ds.tilesAttribution, maxZoom: Number(ds.tilesMaxZoom) || 18}).addTo(map);
      }
      if (outlines.length) {
        map.createPane("dossierBorders").style.zIndex = 150;  // below the tiles: shows where they fail
        borders = L.geoJSON(null, {pane: "dossierBorders", interactive: false,
          style: {color: "#8a8a8a", weight: 1, fillColor: "#f7f5ef", fillOpacity: 1}}).addTo(map);
      }
    }].concat(chunks(outlines.length, 25, function (from, to) {
      borders.addData(outlines.slice(from, to));
    }), [function () { placeSetUp(view, data); }], chunks(data.n, EVENT_CHUNK, function (from, to) {
      placeEvents(view, data, from, to);
    }), [function () { routeLines(view, data); }]);
    return {view: view, steps: steps};
  }

  function chosenBounds(data, chosen) {
    // The latitudes and longitudes of the chosen events' places and route stops.
    var ev = data.ev, places = data.raw.places, bounds = L.latLngBounds([]);
    var add = function (k) { if (places[k][1] !== null) bounds.extend([places[k][2], places[k][1]]); };
    for (var j = 0; j < chosen.length; j++) {
      var i = chosen[j];
      if (ev.place[i] >= 0) add(ev.place[i]);
      if (ev.route[i] && data.mapped[i]) ev.route[i].forEach(add);
    }
    return bounds;
  }

  function placeSetUp(view, data) {
    // Room for each located event's position in world pixels at zoom 0 (at zoom z a point is 2^z times as
    // far), each route's located stops ([lat, lon], in travel order) and the legs routes are drawn with.
    view.px = new Float64Array(data.n);
    view.py = new Float64Array(data.n);
    view.located = data.located;
    view.lines = new Array(data.n);
    view.legs = [];
    view.legAt = new Map();
    view.legsOf = new Array(data.n);
  }

  function placeEvents(view, data, from, to) {
    // Events from..to on the map. Routes are drawn leg by leg (two stops in a row, either way), each
    // distinct leg once per kind: many routes share legs, and dashing the lines is most of the cost of
    // drawing them (bench/explore.py).
    var ev = data.ev, places = data.raw.places, map = view.map, legs = view.legs, legAt = view.legAt;
    for (var i = from; i < to; i++) {
      var place = ev.place[i] >= 0 ? places[ev.place[i]] : null;
      if (place && place[1] !== null) {
        var p = map.project([place[2], place[1]], 0);
        view.px[i] = p.x; view.py[i] = p.y;
      }
      if (!data.mapped[i] || !ev.route[i]) continue;
      var stops = ev.route[i].filter(function (k) { return places[k][1] !== null; });
      var line = view.lines[i] = stops.map(function (k) { return [places[k][2], places[k][1]]; });
      view.legsOf[i] = [];
      for (var s = 1; s < stops.length; s++) {
        var a = Math.min(stops[s - 1], stops[s]), b = Math.max(stops[s - 1], stops[s]), key = a * 1048576 + b;
        if (a === b) continue;  // a stop given twice in a row: no leg to draw
        if (!legAt.has(key)) { legAt.set(key, legs.length); legs.push([line[s - 1], line[s]]); }
        view.legsOf[i].push(legAt.get(key));
      }
    }
  }

  function routeLines(view, data) {
    // One dashed line per kind holds all its shown legs: a thousand separate lines took a second to
    // add and remove on each filter change, one line with many parts takes milliseconds.
    var map = view.map, renderer = L.canvas({padding: 0.2});
    view.routes = data.colours.map(function (colour, kind) {
      var line = L.polyline([], {renderer: renderer, color: colour, weight: 3, opacity: 0.8, dashArray: "6 6"});
      line.on("click", function (e) { pickRoute(view, kind, e.latlng); });
      return line.addTo(map);
    });
    view.legShown = new Uint8Array(view.routes.length * view.legs.length);
    view.routeEvents = [];
    view.points = L.layerGroup().addTo(map);
    view.mark = L.circleMarker([0, 0], {renderer: renderer, radius: 14, color: "#000", weight: 3, fill: false,
      interactive: false});
    map.on("zoomend moveend", function () { drawPoints(view); });
    controlBoxes(view);
  }

  function clusterList(view, members) {
    // Events at one spot, which zooming cannot separate: a popup lists them, each opening its card.
    var ev = view.data.ev, box = element("div", "dx-popup"), list = element("ul");
    box.appendChild(element("p", "dx-popup-title", sayCount("here", members.length)));
    members.slice(0, 50).forEach(function (i) {
      var item = element("li"), button = element("button", "dx-popup-event", ev.date[i] + ": " + ev.title[i]);
      button.type = "button";
      button.addEventListener("click", function () { view.onPick(i, false); });
      item.appendChild(button);
      list.appendChild(item);
    });
    box.appendChild(list);
    if (members.length > 50) box.appendChild(element("p", null, say("hereMore", {n: num(members.length - 50)})));
    return box;
  }

  // A marker's size in pixels: one event's (a 16 px dot in a 24 px target), a cluster's by its count.
  function markerSize(n) { return n === 1 ? 24 : n < 10 ? 30 : n < 100 ? 36 : 44; }
  var MARKER_GAP = 2;  // pixels kept between markers' boxes (Leaflet rounds their positions)

  function drawPoints(view) {
    // Clusters as a grid of CELL-pixel squares at the current zoom, over the view only: a redraw costs a
    // pass over the selection and a marker per occupied square, however many events there are; squares
    // whose markers would touch are then merged (apart). Markers are kept from one redraw to the next
    // where their square still holds the same event, or a cluster (its count and position brought up to
    // date): making a marker's element is most of the cost.
    var CELL = 60, map = view.map, zoom = map.getZoom(), scale = Math.pow(2, zoom);
    var area = map.getPixelBounds(), pad = CELL * 2;
    var x0 = area.min.x - pad, x1 = area.max.x + pad, y0 = area.min.y - pad, y1 = area.max.y + pad;
    var cells = new Map();
    for (var j = 0; j < view.chosen.length; j++) {
      var i = view.chosen[j];
      if (!view.located[i]) continue;
      var x = view.px[i] * scale, y = view.py[i] * scale;
      if (x < x0 || x > x1 || y < y0 || y > y1) continue;
      var key = Math.floor(x / CELL) * 4194304 + Math.floor(y / CELL), cell = cells.get(key);
      if (!cell) cells.set(key, cell = {x: 0, y: 0, members: [], spread: 0, fx: x, fy: y});
      cell.x += x; cell.y += y; cell.members.push(i);
      cell.spread = Math.max(cell.spread, Math.abs(x - cell.fx), Math.abs(y - cell.fy));
    }
    cells = apart(cells);
    var old = view.markers, kept = new Map();
    if (view.markersZoom !== zoom) {  // the squares are another size: nothing to keep
      old.forEach(function (marker) { view.points.removeLayer(marker); });
      old.clear();
      view.markersZoom = zoom;
    }
    cells.forEach(function (cell, key) {
      if (underControl(view, cell, area.min)) return;
      var n = cell.members.length, at = map.unproject([cell.x / n, cell.y / n], zoom);
      var kind = n === 1 ? "e" + cell.members[0] : "c" + markerSize(n);
      var marker = old.get(key);
      if (marker && marker.dxKind === kind) {
        old.delete(key);
        if (!marker.getLatLng().equals(at)) marker.setLatLng(at);
        if (n > 1 && (marker.dxCell.members.length !== n || (marker.dxCell.spread < 1) !== (cell.spread < 1))) {
          setClusterCount(marker, cell);
        }
      } else {
        marker = n === 1 ? eventMarker(view, cell.members[0], at) : clusterMarker(view, cell, at);
        marker.dxKind = kind;
        view.points.addLayer(marker);
      }
      marker.dxCell = cell;
      kept.set(key, marker);
    });
    old.forEach(function (marker) { view.points.removeLayer(marker); });
    view.markers = kept;
  }

  function apart(cells) {
    // The squares' markers with none touching another: two that would (their events near a square's edge,
    // or a cluster larger than its square's share) become one cluster, until none do. A reader's finger
    // then tells every marker from its neighbours (axe's target-size: 24 px, nothing covering part of it).
    var list = [];
    cells.forEach(function (cell, key) { cell.key = key; list.push(cell); });
    for (var merged = true; merged;) {
      merged = false;
      for (var a = 0; a < list.length; a++) {
        for (var b = a + 1; b < list.length; b++) {
          if (!touching(list[a], list[b])) continue;
          join(list[a], list[b]);
          list.splice(b, 1);
          b = a;  // the merged marker has moved and grown: look at the others again
          merged = true;
        }
      }
    }
    var out = new Map();
    list.forEach(function (cell) { out.set(cell.key, cell); });
    return out;
  }

  function controlBoxes(view) {
    // The map's controls (zoom buttons, attribution) as boxes in the map's own pixels, read once and on a
    // resize (reading them in every redraw would lay the page out each time).
    var node = view.map.getContainer(), origin = node.getBoundingClientRect();
    view.controls = Array.prototype.map.call(node.querySelectorAll(".leaflet-control"), function (control) {
      var box = control.getBoundingClientRect();
      return [box.left - origin.left, box.top - origin.top, box.right - origin.left, box.bottom - origin.top];
    });
  }

  function underControl(view, cell, corner) {
    // Whether a square's marker would be under a control, where a finger reaches the control, not it (and axe
    // counts it a covered target): it is left out until the map is moved. `corner`: the view's top left.
    var n = cell.members.length, reach = markerSize(n) / 2 + MARKER_GAP;
    var x = cell.x / n - corner.x, y = cell.y / n - corner.y;
    return (view.controls || []).some(function (box) {
      return x + reach > box[0] && x - reach < box[2] && y + reach > box[1] && y - reach < box[3];
    });
  }

  function touching(a, b) {
    // Whether two squares' markers, centred on their events' mean position, come within MARKER_GAP.
    var na = a.members.length, nb = b.members.length;
    var reach = (markerSize(na) + markerSize(nb)) / 2 + MARKER_GAP;
    return Math.abs(a.x / na - b.x / nb) < reach && Math.abs(a.y / na - b.y / nb) < reach;
  }

  function join(a, b) {
    // Square b's events into square a's cluster; its spread measured from a's first event as before.
    a.spread = Math.max(a.spread, b.spread + Math.max(Math.abs(b.fx - a.fx), Math.abs(b.fy - a.fy)));
    a.x += b.x; a.y += b.y;
    a.members = a.members.concat(b.members);
  }

  function eventMarker(view, i, at) {
    // One event's marker, in its kind's colour.
    var ev = view.data.ev;
    var marker = L.marker(at, {keyboard: true, title: ev.date[i] + ": " + ev.title[i],
      icon: L.divIcon({className: "dm-marker dx-k" + ev.kind[i], iconSize: [24, 24]})});
    marker.on("click", view.onPick.bind(null, i, false));
    return marker;
  }

  function clusterTitle(cell) {
    // What a cluster's marker says to a screen reader and on hover: its count, and what Enter does.
    return say(cell.spread < 1 ? "clusterList" : "clusterZoom", {n: num(cell.members.length)});
  }

  function clusterMarker(view, cell, at) {
    // A cluster's marker: its count; a click zooms in on its events, or lists those zooming cannot part.
    var n = cell.members.length, size = markerSize(n), map = view.map;
    var marker = L.marker(at, {keyboard: true, title: clusterTitle(cell),
      icon: L.divIcon({className: "dx-cluster", iconSize: [size, size], html: "<span>" + num(n) + "</span>"})});
    marker.on("click", function () {
      var members = marker.dxCell.members, zoom = map.getZoom();
      if (marker.dxCell.spread < 1 || zoom >= map.getMaxZoom()) {
        marker.bindPopup(clusterList(view, members)).openPopup();
      } else {
        var bounds = L.latLngBounds(members.map(function (k) { return map.unproject([view.px[k], view.py[k]], 0); }));
        map.fitBounds(bounds, {padding: [40, 40], maxZoom: Math.max(zoom + 2, 0)});
      }
    });
    return marker;
  }

  function setClusterCount(marker, cell) {
    // A kept cluster's new count, in its label and its title.
    var icon = marker.getElement(), title = clusterTitle(cell);
    marker.options.title = title;
    if (!icon) return;
    icon.title = title;
    icon.firstChild.textContent = num(cell.members.length);
  }

  function pickRoute(view, kind, at) {
    // A click on a kind's routes: pick the shown route nearest to the point clicked.
    var map = view.map, point = map.latLngToLayerPoint(at), best = -1, distance = Infinity;
    view.routeEvents[kind].forEach(function (i) {
      var stops = view.lines[i].map(function (stop) { return map.latLngToLayerPoint(stop); });
      for (var k = 1; k < stops.length; k++) {
        var d = L.LineUtil.pointToSegmentDistance(point, stops[k - 1], stops[k]);
        if (d < distance) { distance = d; best = i; }
      }
    });
    if (best >= 0) view.onPick(best, false);
  }

  function drawMap(view, chosen) {
    // The chosen events' routes, then their markers.
    var shown = view.legShown, count = view.legs.length;
    view.chosen = chosen;
    shown.fill(0);
    view.routeEvents = view.routes.map(function () { return []; });
    for (var j = 0; j < chosen.length; j++) {
      var i = chosen[j], kind = view.data.ev.kind[i], legs = view.legsOf[i];
      if (legs) {
        for (var s = 0; s < legs.length; s++) shown[kind * count + legs[s]] = 1;
        view.routeEvents[kind].push(i);
      }
    }
    view.routes.forEach(function (line, kind) {
      var list = [];
      for (var s = 0; s < count; s++) if (shown[kind * count + s]) list.push(s);
      // The canvas repaints every route when one line changes: leave a kind's line alone if its legs are the same.
      var key = list.join(",");
      if (line.dxLegs !== key) { line.dxLegs = key; line.setLatLngs(list.map(function (k) { return view.legs[k]; })); }
    });
    drawPoints(view);
  }

  function focusEvent(view, i) {
    // A row chosen in the list: ring the event on the map and bring it into view.
    var at = view.located[i] ? view.map.unproject([view.px[i], view.py[i]], 0) : null;
    if (at) {
      view.mark.setLatLng(at).addTo(view.map);
      view.map.setView(at, Math.max(view.map.getZoom(), 7));
    } else if (view.lines[i]) {
      view.mark.remove();
      view.map.fitBounds(L.latLngBounds(view.lines[i]), {padding: [24, 24]});
    } else {
      view.mark.remove();
    }
  }

  // --- the card and the list --------------------------------------------------------------

  function showCard(card, data, i) {
    var ev = data.ev, places = data.raw.places, root = document.getElementById("dx").dataset.root;
    card.textContent = "";
    card.hidden = false;
    card.dataset.event = ev.id[i];
    card.appendChild(element("p", "dx-card-meta", ev.date[i] + " · " + data.facets.kind.labels[ev.kind[i]] +
      " · " + say("cardConfidence", {level: data.facets.confidence.labels[ev.confidence[i]]})));
    var title = element("p", "dx-card-title");
    var link = element("a", null, ev.title[i]);
    link.href = root + "events/" + encodeURIComponent(ev.id[i]) + "/";
    title.appendChild(link);
    card.appendChild(title);
    if (ev.place[i] >= 0) card.appendChild(element("p", null, say("cardPlace", {place: placeText(places[ev.place[i]])})));
    if (ev.route[i]) {
      card.appendChild(element("p", null, say("cardRoute", {route: ev.route[i].map(function (p) { return places[p][0]; })
        .join(" → ")})));
    }
    if (ev.place[i] < 0 && !ev.route[i]) card.appendChild(element("p", null, say("cardNoPlace")));
    if (ev.contested[i]) card.appendChild(element("p", "dx-card-disagree", say("cardDisagree")));
    var close = element("button", "md-button dx-card-close", say("cardClose"));
    close.type = "button";
    close.setAttribute("aria-label", say("cardCloseLabel"));
    close.addEventListener("click", function () { card.hidden = true; });
    card.appendChild(close);
  }

  function listRow() {
    var item = element("li"), button = element("button", "dx-row");
    button.type = "button";
    button.appendChild(element("span", "dx-row-date"));
    button.appendChild(element("span", "dx-row-title"));
    button.appendChild(element("span", "dx-row-kind"));
    item.appendChild(button);
    return item;
  }

  function listRows(list, data, chosen, count, picked) {
    // The list shows the first `count` chosen events. Its rows are kept and refilled, not rebuilt, and a
    // row is written only if its event changed.
    var ev = data.ev, rows = list.children, added = document.createDocumentFragment();
    count = Math.min(count, chosen.length);
    for (var j = 0; j < count; j++) {
      var button = (j < rows.length ? rows[j] : added.appendChild(listRow())).firstChild, i = chosen[j];
      if (button.dxEvent === i) continue;
      button.dxEvent = i;
      button.dataset.event = ev.id[i];
      button.children[0].textContent = ev.date[i];
      button.children[1].textContent = ev.title[i];
      button.children[2].textContent = data.facets.kind.labels[ev.kind[i]];
      button.children[2].className = "dx-row-kind dx-k" + ev.kind[i];
      if (i === picked) button.setAttribute("aria-current", "true"); else button.removeAttribute("aria-current");
    }
    list.appendChild(added);
    while (rows.length > count) list.removeChild(list.lastChild);
    return count;
  }

  // --- the page ---------------------------------------------------------------------------

  function kindStyles(colours) {
    // One rule per kind: markers, rows and routes share the colours of the map and charts.
    var rules = colours.map(function (colour, k) {
      return /^#[0-9a-fA-F]{3,8}$/.test(colour) ? ".dx-k" + k + " { --dx-kind: " + colour + "; }" : "";
    });
    var node = document.getElementById("dx-kind-colours") || element("style");
    node.id = "dx-kind-colours";
    node.textContent = rules.join("\n");
    document.head.appendChild(node);
  }

  function start(root, text, chart) {
    // The page from its index (the file's text), in slices: its parts read, then the list and total, then
    // the histogram (once `chart`, the promise of uPlot, is kept), then the filters; the map when it is in
    // view (watchMap). Returns the promise of everything that is due drawn.
    var lines = text.split("\n");
    if (lines[0] !== "[") throw failure("failedRead");
    var raw = readPart(lines[1]), data = decode(raw), parts = [];
    for (var k = 2; k < lines.length && lines[k] !== "]"; k++) parts.push(addPart.bind(null, data, lines[k]));
    parts.push(function () {  // a file cut short (a dropped connection) is missing values: say so, not fail later
      if (COLUMNS.some(function (name) { return data.ev[name].length !== data.n; })) throw failure("failedRead");
    });
    months = Array.isArray(raw.months) && raw.months.length === 12 ? raw.months : null;
    var state = {from: null, to: null, fromText: "", toText: "", chosen: [], shown: 0, picked: -1};
    var total = root.querySelector(".dx-total"), list = root.querySelector(".dx-list");
    var more = root.querySelector(".dx-more"), card = root.querySelector(".dx-card");
    var citeText = root.querySelector(".dx-cite-text"), mapNode = root.querySelector(".dx-map");
    var inputs = {from: root.querySelector("input[name=from]"), to: root.querySelector("input[name=to]")};
    var view = null, plot = null, listed;

    function pick(i, fromList) {
      state.picked = i;
      showCard(card, data, i);
      root.querySelectorAll(".dx-row[aria-current]").forEach(function (b) { b.removeAttribute("aria-current"); });
      var row = root.querySelector(".dx-row[data-event=\"" + data.ev.id[i] + "\"]");
      if (row) row.setAttribute("aria-current", "true");
      if (fromList && view) focusEvent(view, i);
      if (!fromList) card.scrollIntoView({block: "nearest"});
    }

    function update(write, selected) {
      var started = performance.now();
      var chosen = state.chosen = selected || select(data, state);
      // The histogram and the address first, while the page's style and layout are clean: drawing text on
      // a canvas and saving the scroll position (Chromium, on replaceState) would each bring them up to date.
      if (plot) drawHistogram(plot, data, state);
      if (write) window.history.replaceState(window.history.state, "", address(data, state));
      showCounts(data);
      if (view) drawMarkers();
      state.shown = listRows(list, data, chosen, PAGE_SIZE, state.picked);
      more.hidden = chosen.length <= state.shown;
      list.dataset.count = String(chosen.length);
      total.textContent = sayCount("total", chosen.length, {total: num(data.n), located: num(onMap(data, chosen))});
      inputs.from.value = state.fromText;
      inputs.to.value = state.toText;
      citeText.textContent = say("cite", {view: describe(data, state), date: todayLabel(), url: window.location.href});
      root.dataset.redrawMs = String(Math.round(performance.now() - started));
    }

    function drawMarkers() {
      // The map's routes and markers for the selection, and how many events have a marker (tests read it).
      drawMap(view, state.chosen);
      var markers = 0;
      for (var j = 0; j < state.chosen.length; j++) markers += data.located[state.chosen[j]];
      mapNode.dataset.markers = String(markers);
    }

    function setPeriod(from, to) {
      state.from = from; state.to = to;
      state.fromText = from === null ? "" : monthText(from);
      state.toText = to === null ? "" : monthText(to);
      update(true);
    }

    function prepare() {
      // What the first selection needs: the kinds' colours, the histogram's months, the address, the controls.
      kindStyles(data.colours);
      state.hist = histogramBins(data);
      state.histTones = new Float64Array(data.tones.length * state.hist.edges.length);
      readAddress(data, state);
      wireControls(root, data, state, update, pick, buildFilters);
    }

    function drawChart() {
      // The histogram once uPlot has loaded, made after a frame and drawn in the task after that.
      return chart.then(afterFrame).then(function () {
        var made = buildHistogram(root.querySelector(".dx-chart"), data, state, setPeriod,
          function () { setPeriod(null, null); });
        return nextTask().then(function () {
          drawHistogram(made, data, state);
          plot = made;  // from now on each update redraws it
        });
      });
    }

    function drawMapWhenWanted(wanted) {
      // Leaflet and the outlines load once the map is in view, and the map is drawn after the list.
      if (!wanted) return null;
      return Promise.all([mapLibraries(root.dataset), listed]).then(afterFrame).then(function () {
        var built = mapSteps(mapNode, data, root.dataset, pick, state.chosen);
        return runSteps(built.steps).then(function () {
          view = built.view;
          drawMarkers();
        });
      });
    }

    var filtersBuilt = null;
    function buildFilters() {
      // Once: at phone widths when the drawer first opens (closed, nobody sees them), else after the histogram.
      if (!filtersBuilt) {
        filtersBuilt = runSteps(FACETS.reduce(function (steps, name) {
          return steps.concat(facetSteps(root.querySelector("fieldset[data-facet=" + name + "]"), data.facets[name],
            function () { update(true); }));
        }, []));
      }
      return filtersBuilt;
    }
    if (DRAWER.addEventListener) {  // a phone turned, a window widened: the filters show beside the views
      DRAWER.addEventListener("change", function (event) { if (!event.matches) buildFilters(); });
    }
    var mapWanted = watchMap(mapNode);
    var first = [];
    listed = runSteps(parts.concat(chunks(data.n, EVENT_CHUNK, decodeEvents.bind(null, data)), [prepare, function () {
      first = selectStart(data, state);
    }], chunks(data.n, EVENT_CHUNK, function (from, to) { selectRange(data, state, first, from, to); }), [function () {
      update(false, first);
    }]));
    var mapDrawn = mapWanted.then(drawMapWhenWanted);
    mapDrawn.catch(function (error) { total.textContent = failed(error); });
    new ResizeObserver(function () {
      var width = root.querySelector(".dx-chart").clientWidth;
      if (plot && width > 0 && Math.abs(width - plot.width) > 2) plot.setSize({width: width, height: 150});
      if (view) { view.map.invalidateSize(); controlBoxes(view); }
    }).observe(root.querySelector(".dx-main"));
    // Ready (a class tests and the benchmark wait for) when the views due are drawn: the map too if in view.
    return listed.then(nextTask).then(drawChart).then(function () { return DRAWER.matches ? null : buildFilters(); })
      .then(function () { return mapWanted.first; })
      .then(function (wanted) { return wanted ? mapDrawn : null; })
      .then(function () { root.classList.add("dx-ready"); });
  }

  function onMap(data, chosen) {
    // How many of the chosen events the map shows, by a marker or a route.
    var n = 0;
    for (var j = 0; j < chosen.length; j++) n += data.mapped[chosen[j]];
    return n;
  }

  function mapLibraries(ds) {
    // Leaflet, its style sheet and the country outlines, from the site.
    return Promise.all([loadOnce(ds.leafletcss, true), loadOnce(ds.leaflet), loadOnce(ds.countries)]);
  }

  var MAP_IN_VIEW = 0.2;  // the share of the map's box in view that has it drawn

  function watchMap(node) {
    // A promise kept when MAP_IN_VIEW of the map's box is in view; its `first` is the promise of the
    // first look (true when the map is in view then).
    var wanted, seen;
    var promise = new Promise(function (resolve) { wanted = resolve; });
    promise.first = new Promise(function (resolve) { seen = resolve; });
    if (!("IntersectionObserver" in window)) {
      wanted(true);
      seen(true);
      return promise;
    }
    var watch = new IntersectionObserver(function (entries) {
      var inView = entries.some(function (e) { return e.isIntersecting && e.intersectionRatio >= MAP_IN_VIEW; });
      seen(inView);
      if (inView) { watch.disconnect(); wanted(true); }
    }, {threshold: [0, MAP_IN_VIEW]});
    watch.observe(node);
    return promise;
  }

  function wireControls(root, data, state, update, pick, onDrawer) {
    // The period's fields, the list's rows and "Show more", "Clear filters", "Copy link" and the drawer.
    var list = root.querySelector(".dx-list"), more = root.querySelector(".dx-more");
    var dateError = root.querySelector(".dx-date-error");
    ["from", "to"].forEach(function (name) {
      var input = root.querySelector("input[name=" + name + "]");
      input.addEventListener("change", function () {
        var text = input.value.trim(), value = text ? parseDate(text, name === "to") : null;
        if (text && value === null) {
          dateError.textContent = say("notADate", {text: text});
          input.setAttribute("aria-invalid", "true");
          return;
        }
        dateError.textContent = "";
        input.removeAttribute("aria-invalid");
        state[name] = value;
        state[name + "Text"] = text;
        update(true);
      });
    });
    list.addEventListener("click", function (event) {
      var row = event.target.closest(".dx-row");
      if (row) pick(row.dxEvent, true);
    });
    more.addEventListener("click", function () {
      state.shown = listRows(list, data, state.chosen, state.shown + PAGE_SIZE, state.picked);
      more.hidden = state.chosen.length <= state.shown;
    });
    root.querySelector(".dx-reset").addEventListener("click", function () {
      FACETS.forEach(function (name) { data.facets[name].mask.fill(0); data.facets[name].selected = 0; });
      state.from = state.to = null;
      state.fromText = state.toText = "";
      update(true);
    });
    var copied = root.querySelector(".dx-copied");
    root.querySelector(".dx-copy").addEventListener("click", function () {
      var url = window.location.href;
      var done = function () { copied.textContent = say("copied"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, function () { copied.textContent = url; });
      } else {
        copied.textContent = url;  // no clipboard here (plain http): show the link to copy by hand
      }
    });
    drawer(root, onDrawer);
  }

  function drawer(root, onOpen) {
    // Phone widths: the filters are a drawer opened by the Filters button (CSS decides when); onOpen
    // builds its values the first time.
    var open = root.querySelector(".dx-open"), close = root.querySelector(".dx-close");
    var panel = root.querySelector(".dx-filters");
    function set(opened) {
      root.classList.toggle("dx-drawer-open", opened);
      open.setAttribute("aria-expanded", opened ? "true" : "false");
      if (opened) close.focus(); else open.focus();
    }
    open.addEventListener("click", function () { onOpen(); set(true); });
    close.addEventListener("click", function () { set(false); });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && root.classList.contains("dx-drawer-open")) set(false);
    });
  }

  function startIntl() {
    // uPlot makes a number format as it loads, and the browser's first one lists the locales it has: 16 ms
    // of CPU here, most of uPlot's load (20 ms). Made first, in a task of its own, it leaves uPlot's load
    // 3 ms (bench/README.md, explore). Not the page's own formats: numbers are grouped by hand (num).
    return new Intl.NumberFormat(navigator.language);
  }

  function setUp() {
    var root = document.getElementById("dx");
    if (!root || root.dataset.started) return;
    root.dataset.started = "1";
    var found = document.getElementById("dx-messages");
    messages = found ? found.dataset : {};
    lang = document.documentElement.lang || "en";
    groupWith = (messages.thousand || "1000").replace(/\d/g, "");  // "" in English, U+202F in French
    var note = document.querySelector(".dx-nojs");
    if (note) note.hidden = true;
    root.hidden = false;
    var ds = root.dataset;
    // The index and the histogram's library are asked for once the page has painted: Lighthouse estimates
    // a phone's largest paint (the introduction) from every request begun before it was painted, and the
    // index is most of the page's weight. Leaflet only when the map comes into view (start).
    var painted = afterFrame();
    var chart = painted.then(nextTask).then(startIntl).then(nextTask).then(function () {
      return Promise.all([loadOnce(ds.uplotcss, true), loadOnce(ds.uplot)]);
    });
    chart.catch(function () { return null; });  // reported when the histogram is drawn, not before
    painted.then(function () { return fetch(ds.index); }).then(function (r) {
      if (!r.ok) throw failure("failedIndex", {status: r.status});
      return r.text();  // parsed a part at a time (start)
    }).then(function (text) { return start(root, text, chart); })
      .catch(function (error) {
        root.querySelector(".dx-total").textContent = failed(error);
      });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
