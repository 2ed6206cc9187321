/* Sahel Arms Dossier maps: markers, routes, layers and the year filter, built from compact rows.
 *
 * dossier/maps.py writes one call per map file:  DossierMap.show(map, data)
 *   data.rows    one row per located event:
 *                [id, title, dateLabel, group, firstYear, lastYear, lon, lat, placeName, precision, route]
 *                lon/lat/placeName/precision are null without a located place; route is null or a list of
 *                [lon, lat, name] (lon/lat null for a stop without coordinates), in travel order.
 *                Coordinates are in GeoJSON order: longitude first.
 *   data.groups  [{label, colour}] in the order of dossier/style.py LAYERS; row[3] indexes it.
 *   data.base    relative URL of the events folder, e.g. "../events/".
 *   data.years   the years the filter offers (empty: no filter).
 *   data.cluster cluster markers; data.control show the layer control.
 *
 * Contributor text (titles, place names) only ever reaches the page through textContent or a DOM
 * property (title), never through innerHTML, so no escaping can be forgotten here.
 */
(function () {
  "use strict";

  var ID = 0, TITLE = 1, DATE = 2, GROUP = 3, Y0 = 4, Y1 = 5, LON = 6, LAT = 7, PLACE = 8,
    PRECISION = 9, ROUTE = 10;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // The words around the data: English, or the map's language when its data carry them (data.words).
  // Filled as text (textContent), so a value is never markup.
  function say(data, key, english, values) {
    var pattern = (data.words && data.words[key]) || english;
    return pattern.replace(/%\((\w+)\)s/g, function (all, name) { return String(values[name]); });
  }

  function routeNames(route) {
    return route.map(function (stop) { return stop[2]; }).join(" \u2192 ");
  }

  function popupContent(row, data) {
    var box = element("div", "dm-popup");
    box.appendChild(element("p", "dm-date", row[DATE]));
    var link = element("a", "dm-link", row[TITLE]);
    link.href = data.base + encodeURIComponent(row[ID]) + "/";
    link.target = "_top";  // open the event page in the whole window, not inside the map's iframe
    var heading = element("p", "dm-title");
    heading.appendChild(link);
    box.appendChild(heading);
    if (row[PLACE] !== null) {
      box.appendChild(element("p", "dm-place", say(data, "place", "Place: %(name)s (precision: %(precision)s)",
        {name: row[PLACE], precision: row[PRECISION]})));
    }
    if (row[ROUTE]) {
      box.appendChild(element("p", "dm-route",
        say(data, "route", "Route: %(stops)s", {stops: routeNames(row[ROUTE])})));
    }
    box.appendChild(element("p", "dm-kind", data.groups[row[GROUP]].label));
    return box;
  }

  function markerFor(row, data) {
    var icon = L.divIcon({className: "dm-marker dm-g" + row[GROUP], iconSize: [16, 16]});
    // keyboard: Leaflet makes the icon focusable (tabindex 0, role button); title names it.
    var marker = L.marker([row[LAT], row[LON]], {icon: icon, keyboard: true,
      title: row[DATE] + ": " + row[TITLE]});
    marker.bindPopup(function () { return popupContent(row, data); });
    return marker;
  }

  function routeFor(row, data) {
    var points = (row[ROUTE] || []).filter(function (stop) { return stop[0] !== null; })
      .map(function (stop) { return [stop[1], stop[0]]; });
    if (points.length < 2) return null;
    var line = L.polyline(points, {color: data.groups[row[GROUP]].colour, weight: 3, opacity: 0.8,
      dashArray: "6 6"});
    line.bindPopup(function () { return popupContent(row, data); });
    return line;
  }

  function clusterIcon(group) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var html = "<span>" + count + "</span><span class=\"dm-sr\"> events; press Enter to zoom in</span>";
      return L.divIcon({html: html, className: "dm-cluster dm-g" + group, iconSize: [34, 34]});
    };
  }

  function drawBorders(map) {
    if (!window.DOSSIER_COUNTRIES) return;
    // Below the tiles (tilePane is 200): visible only where tiles fail to load, e.g. offline.
    map.createPane("dossierBorders").style.zIndex = 150;
    L.geoJSON(window.DOSSIER_COUNTRIES, {pane: "dossierBorders", interactive: false,
      style: {color: "#8a8a8a", weight: 1, fillColor: "#f7f5ef", fillOpacity: 1}}).addTo(map);
  }

  function buildGroups(data) {
    var groups = data.groups.map(function (group, index) {
      var layer = data.cluster
        ? L.markerClusterGroup({iconCreateFunction: clusterIcon(index), showCoverageOnHover: false,
          chunkedLoading: true})
        : L.featureGroup();
      return {layer: layer, items: [], label: group.label, index: index};
    });
    data.rows.forEach(function (row, index) {
      var group = groups[row[GROUP]];
      var parts = [row[LAT] !== null ? markerFor(row, data) : null, routeFor(row, data)];
      parts.forEach(function (layer) {
        if (layer) group.items.push({layer: layer, first: row[Y0], last: row[Y1], row: index});
      });
    });
    return groups.filter(function (group) { return group.items.length > 0; });
  }

  function showYear(groups, year) {
    var shown = {};  // events, not layers: an event with a place and a route is two layers
    groups.forEach(function (group) {
      var items = group.items.filter(function (item) {
        return year === null || (item.first <= year && year <= item.last);
      });
      var layers = items.map(function (item) { shown[item.row] = true; return item.layer; });
      group.layer.clearLayers();
      if (group.layer.addLayers) group.layer.addLayers(layers);
      else layers.forEach(function (layer) { group.layer.addLayer(layer); });
    });
    return Object.keys(shown).length;
  }

  function yearControl(map, groups, years, data) {
    var control = L.control({position: "topright"});
    control.onAdd = function () {
      var box = element("div", "dm-years leaflet-bar");
      var label = element("label", null, say(data, "year", "Year", {}) + " ");
      var select = element("select");
      select.appendChild(new Option(say(data, "allYears", "All years", {}), ""));
      years.forEach(function (year) { select.appendChild(new Option(String(year), String(year))); });
      label.appendChild(select);
      var status = element("p", "dm-status");
      status.setAttribute("aria-live", "polite");
      select.addEventListener("change", function () {
        var year = select.value === "" ? null : Number(select.value);
        var shown = showYear(groups, year);
        status.textContent = year === null ? "" : say(data, shown === 1 ? "shownOne" : "shown",
          shown === 1 ? "%(n)s event shown" : "%(n)s events shown", {n: shown});
      });
      box.appendChild(label);
      box.appendChild(status);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(map);
  }

  function layerControl(map, groups) {
    var overlays = {};
    groups.forEach(function (group) {
      // Leaflet inserts these names as HTML: they come from dossier/style.py, never from the data.
      var events = {};
      group.items.forEach(function (item) { events[item.row] = true; });
      var name = "<span class=\"dm-swatch dm-g" + group.index + "\"></span> " + group.label +
        " (" + Object.keys(events).length + ")";
      overlays[name] = group.layer;
    });
    L.control.layers(null, overlays, {collapsed: false, position: "topright"}).addTo(map);
  }

  function fit(map, groups) {
    var bounds = L.latLngBounds([]);
    groups.forEach(function (group) {
      group.items.forEach(function (item) {
        bounds.extend(item.layer.getLatLng ? item.layer.getLatLng() : item.layer.getBounds());
      });
    });
    if (bounds.isValid()) map.fitBounds(bounds, {padding: [24, 24], maxZoom: 6});
  }

  function returnFocus(map) {
    // A popup opened from the keyboard takes focus to its link, and gives it back on close.
    var opener = null;
    map.on("popupopen", function (event) {
      var source = event.popup._source;
      opener = source && source._icon ? source._icon : null;
      var box = event.popup.getElement();
      var link = box.querySelector("a.dm-link");
      if (link && opener === document.activeElement) link.focus();
      box.onkeydown = function (key) { if (key.key === "Escape") map.closePopup(); };  // assigned, so never stacked
    });
    map.on("popupclose", function () {
      if (opener && document.activeElement && opener.ownerDocument.body.contains(opener) &&
          (document.activeElement === document.body || document.activeElement.closest(".leaflet-popup"))) {
        opener.focus();
      }
      opener = null;
    });
  }

  function edition(data) {
    // A record's map serves both editions: "#lang=fr" (the French pages' link) picks its French rows,
    // layer names, links and words, and the document's language and title follow.
    var lang = (/^#lang=([a-z]{2})$/.exec(window.location.hash) || [])[1];
    var found = lang && data.editions && data.editions[lang];
    if (!found) return data;
    document.documentElement.lang = lang;
    document.title = found.title;
    return Object.assign({}, data, found);
  }

  function show(map, data) {
    data = edition(data);
    if (map.attributionControl) map.attributionControl.setPrefix("Leaflet");  // text, no outside link
    drawBorders(map);
    var groups = buildGroups(data);
    showYear(groups, null);
    groups.forEach(function (group) { group.layer.addTo(map); });
    if (data.control && groups.length > 1) layerControl(map, groups);
    if (data.years.length > 1) yearControl(map, groups, data.years, data);
    fit(map, groups);
    returnFocus(map);
  }

  window.DossierMap = {show: show};
})();
