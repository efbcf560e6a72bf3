// The shared asset map: published assets loaded for the view as lean GeoJSON, coloured by
// domain and clustered; zoomed out over many assets, the server sends counts per grid cell
// instead, drawn as numbers that zoom in when selected. The layer is fetched once for the
// first view and again only when the person moves the map beyond what was loaded (never
// when a popup pans it into view); markers still in view are kept, so an open popup stays
// open. The status line under the map says what is happening, with Try again on failure.
// Names go into the page only as text (never as HTML).
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("asset-map-config").textContent);
  var status = document.getElementById("map-status");
  var CELL_PIXELS = 64; // as assets.maps.CELL_PIXELS

  function debounce(fn, ms) {
    var timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function counted(template, count) {
    return template.replace("%(count)s", count.toLocaleString(document.documentElement.lang));
  }

  // The view's box grown to whole cells of the zoom's grid, as the server snaps it
  // (assets.maps.bbox_snap): nearby views ask for the same address.
  function snapped(bounds, zoom) {
    var size = 360 / Math.pow(2, zoom) * CELL_PIXELS / 256;
    function down(value, origin) { return Math.floor((value + origin) / size + 1e-9) * size - origin; }
    function up(value, origin) { return Math.ceil((value + origin) / size - 1e-9) * size - origin; }
    return [
      Math.max(down(bounds.getWest(), 180), -180),
      Math.max(down(bounds.getSouth(), 90), -90),
      Math.min(up(bounds.getEast(), 180), 180),
      Math.min(up(bounds.getNorth(), 90), 90),
    ];
  }

  function popup(feature) {
    var box = document.createElement("div");
    var name = document.createElement("p");
    name.className = "govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1";
    name.textContent = feature.properties.name;
    var link = document.createElement("a");
    link.className = "govuk-link";
    link.href = config.detailUrl.replace("/0/", "/" + Number(feature.id) + "/");
    link.textContent = config.moreLabel;
    box.append(name, link);
    return box;
  }

  function marker(feature) {
    var coords = feature.geometry.coordinates;
    var icon = L.divIcon({
      className: "app-marker app-marker--" + feature.properties.domain,
      html: "",
      iconSize: [22, 22],
    });
    return L.marker([coords[1], coords[0]], { icon: icon, title: feature.properties.name })
      .bindPopup(function () { return popup(feature); });
  }

  function cellMarker(feature, map) {
    var coords = feature.geometry.coordinates;
    var count = Number(feature.properties.count);
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var inner = document.createElement("div");
    var number = document.createElement("span");
    number.textContent = count.toLocaleString(document.documentElement.lang);
    inner.append(number);
    var icon = L.divIcon({
      className: "marker-cluster marker-cluster-" + size + " app-map-cell",
      html: inner,
      iconSize: [40, 40],
    });
    var edges = feature.properties.bounds; // west, south, east, north
    return L.marker([coords[1], coords[0]], { icon: icon, title: counted(config.cellLabel, count) })
      .on("click", function () {
        map.fitBounds([[edges[1], edges[0]], [edges[3], edges[2]]], {
          maxZoom: Math.max(map.getZoom() + 1, config.pointsZoom),
          padding: [20, 20],
        });
      });
  }

  window.cymunedAssetMap = function (map) {
    var container = map.getContainer();
    if (config.site) {
      var outline = L.geoJSON(config.site, {
        style: { color: "#005a5b", weight: 2, fill: false, dashArray: "6 4" },
        interactive: false,
      }).addTo(map);
      // Without animation: the view is set before the first load, which is the only one.
      map.fitBounds(outline.getBounds(), { animate: false });
    }
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false }).addTo(map);
    var cells = L.layerGroup().addTo(map);
    var markers = {}; // feature id → marker, for the points shown now
    var loaded = null; // {bounds, zoom, cells} of the layer shown now
    var controller = null;
    var autopanning = false;

    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "govuk-button govuk-button--secondary govuk-!-display-none";
    retry.textContent = config.retryLabel;
    retry.addEventListener("click", function () { load(); });
    status.after(retry);

    function say(state, text) {
      container.dataset.state = state;
      status.textContent = text;
      // A class, not `hidden`: the button's own display would show it anyway.
      retry.classList.toggle("govuk-!-display-none", state !== "failed");
    }

    function showPoints(features) {
      cells.clearLayers();
      var wanted = {};
      var added = [];
      features.forEach(function (feature) {
        wanted[feature.id] = true;
        if (!markers[feature.id]) {
          markers[feature.id] = marker(feature);
          added.push(markers[feature.id]);
        }
      });
      var gone = Object.keys(markers).filter(function (id) { return !wanted[id]; });
      cluster.removeLayers(gone.map(function (id) { return markers[id]; }));
      gone.forEach(function (id) { delete markers[id]; });
      cluster.addLayers(added);
      say("loaded", features.length === 1 ? config.countOne : counted(config.countMany, features.length));
      return features.length;
    }

    function showCells(features) {
      cluster.clearLayers();
      markers = {};
      cells.clearLayers();
      var total = 0;
      features.forEach(function (feature) {
        total += Number(feature.properties.count);
        cells.addLayer(cellMarker(feature, map));
      });
      say("loaded", counted(config.cellsLabel, total));
      return total;
    }

    function load() {
      var zoom = Math.round(map.getZoom());
      var box = snapped(map.getBounds(), zoom);
      var params = new URLSearchParams(config.query);
      params.set("bbox", box.map(function (n) { return n.toFixed(6); }).join(","));
      params.set("zoom", String(zoom));
      if (controller) controller.abort();
      var mine = controller = new AbortController();
      say("loading", config.loadingLabel);
      fetch(config.layerUrl + "?" + params.toString(), { signal: mine.signal })
        .then(function (response) {
          if (!response.ok) throw new Error("layer answered " + response.status);
          return response.json();
        })
        .then(function (layer) {
          var features = layer.features;
          var isCells = features.length > 0 && features[0].properties.count !== undefined;
          var shown = isCells ? showCells(features) : showPoints(features);
          loaded = { bounds: L.latLngBounds([[box[1], box[0]], [box[3], box[2]]]), zoom: zoom, cells: isCells };
          container.dataset.mode = isCells ? "cells" : "points";
          container.dataset.loaded = String(shown);
        })
        .catch(function () {
          if (mine.signal.aborted) return; // a newer request replaced this one
          loaded = null;
          say("failed", config.failedLabel);
        });
    }

    // What is loaded still covers the view: points cover any zoom inside their box, counts
    // only the zoom they were counted for.
    function covered() {
      if (!loaded) return false;
      if (loaded.cells && Math.round(map.getZoom()) !== loaded.zoom) return false;
      return loaded.bounds.contains(map.getBounds());
    }

    var moved = debounce(function () { if (!covered()) load(); }, 250);
    map.on("autopanstart", function () { autopanning = true; });
    map.on("moveend", function () {
      if (autopanning) { autopanning = false; return; } // a popup moved into view
      moved();
    });
    load();
  };
})();
