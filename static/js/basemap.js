// Every map's base, for every map on the page (it hooks in through django-leaflet's "map:init"
// event, before the page's own map script runs):
// - the street map's tiles (settings.MAP_TILES_URL), fetched by the user's browser, which
//   sends the tile server the site's address only (never the page's);
// - Leaflet's own controls in the page's language (zoom, attribution, markers, popups);
// - when the tiles cannot load (errors, offline, or switched off), the outlines of the test
//   sites and their LSOAs with their names, from the product's own boundaries (fetched from
//   config.contextUrl as the map starts), and a message saying the street map could not load.
// Included by {% basemap_js %} (assets/templatetags/basemap.py) after {% leaflet_js %}.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("basemap-config").textContent);
  var labels = config.labels;
  // LSOA names are shown from this zoom in; below it they would cover each other.
  var NAMES_FROM_ZOOM = 14;

  L.Control.Zoom.prototype.options.zoomInTitle = labels.zoomIn;
  L.Control.Zoom.prototype.options.zoomOutTitle = labels.zoomOut;
  L.Marker.prototype.options.alt = labels.marker;
  var leaflet = document.createElement("a");
  leaflet.href = "https://leafletjs.com";
  leaflet.title = labels.leaflet;
  leaflet.textContent = "Leaflet";
  L.Control.Attribution.prototype.options.prefix = leaflet.outerHTML;

  // The outlines (assets:map-outlines), asked for as soon as a map starts, so that they are
  // at hand if the connection drops later; the browser keeps them until the boundaries
  // change, so a page carries none of them and they cross the network once.
  var context = null;
  function contextLoad() {
    if (!context) {
      context = fetch(config.contextUrl, { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("outlines answered " + response.status);
          return response.json();
        })
        .catch(function (error) {
          context = null; // asked again next time
          throw error;
        });
    }
    return context;
  }

  function outlines(map) {
    var container = map.getContainer();
    // The names sit under the map's markers (their own pane), never hiding an asset.
    if (!map.getPane("appAreaLabels")) map.createPane("appAreaLabels");
    function near() {
      container.classList.toggle("app-map--near", map.getZoom() >= NAMES_FROM_ZOOM);
    }
    contextLoad()
      .then(function (context) { draw(map, context); })
      .catch(function () { /* the notice says the street map could not load */ });
    map.on("zoomend", near);
    near();
  }

  function draw(map, context) {
    L.geoJSON(context, {
      interactive: false,
      style: function (feature) {
        return feature.properties.kind === "site"
          ? { color: "#005a5b", weight: 3, fill: false }
          : { color: "#505a5f", weight: 1, fill: false };
      },
      onEachFeature: function (feature) {
        var place = feature.properties;
        if (!place.name) return;
        var name = document.createElement("span");
        name.textContent = place.name;  // names are text, never HTML
        L.tooltip({
          permanent: true,
          direction: "center",
          pane: "appAreaLabels",
          className: "app-area-label app-area-label--" + place.kind,
        }).setLatLng(place.label).setContent(name).addTo(map);
      },
    }).addTo(map);
  }

  function start(map) {
    var container = map.getContainer();
    contextLoad().catch(function () { /* asked again if the outlines are needed */ });
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", labels.closePopup);
        close.title = labels.closePopup;
      }
    });
    if (!config.tiles) {
      container.dataset.basemap = "outlines";
      outlines(map);
      return;
    }
    // A message region before the map, empty until needed, so that it is announced.
    var notice = document.createElement("div");
    notice.setAttribute("role", "status");
    container.before(notice);
    var loaded = 0;
    var errors = 0;
    var failed = false;

    function fail() {
      if (failed) return;
      failed = true;
      container.dataset.basemap = "outlines";
      var message = document.createElement("p");
      message.className = "govuk-inset-text app-map-notice";
      message.textContent = labels.tilesFailed;
      notice.append(message);
      outlines(map);
    }

    var tiles = L.tileLayer(config.tiles.url, {
      attribution: config.tiles.attribution,
      maxZoom: map.getMaxZoom(),
      referrerPolicy: "strict-origin",
    });
    tiles.on("tileload", function () {
      loaded += 1;
      if (!failed) container.dataset.basemap = "tiles";
    });
    // One missing tile among many loaded is not a failed street map.
    tiles.on("tileerror", function () {
      errors += 1;
      if (errors > loaded) fail();
    });
    tiles.addTo(map);
    window.addEventListener("offline", fail);
    if (navigator.onLine === false) fail();
  }

  window.addEventListener("map:init", function (event) {
    if (event.detail && event.detail.map) start(event.detail.map);
  });
})();
