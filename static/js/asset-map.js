// The shared asset map: published assets loaded by bounding box as lean GeoJSON, clustered,
// coloured by domain. Names go into the page only as text (never as HTML).
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("asset-map-config").textContent);
  var status = document.getElementById("map-status");

  function debounce(fn, ms) {
    var timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
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

  window.cymunedAssetMap = function (map) {
    if (config.site) {
      var outline = L.geoJSON(config.site, {
        style: { color: "#005a5b", weight: 2, fill: false, dashArray: "6 4" },
        interactive: false,
      }).addTo(map);
      map.fitBounds(outline.getBounds());
    }
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false }).addTo(map);
    var controller = null;

    function load() {
      var b = map.getBounds();
      var params = new URLSearchParams(config.query);
      params.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map(function (n) { return n.toFixed(5); }).join(","));
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(config.layerUrl + "?" + params.toString(), { signal: controller.signal })
        .then(function (response) { return response.json(); })
        .then(function (layer) {
          cluster.clearLayers();
          cluster.addLayers(layer.features.map(marker));
          var count = layer.features.length;
          status.textContent = count === 1
            ? config.countOne
            : config.countMany.replace("%(count)s", count);
          document.getElementById("asset-map").dataset.loaded = String(layer.features.length);
        })
        .catch(function () { /* a newer request replaced this one */ });
    }

    map.on("moveend", debounce(load, 250));
    load();
  };
})();
