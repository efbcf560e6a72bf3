// The moderation review's map: the submission as a pin, the published assets near it as dots,
// each named in a tooltip set as text (never as HTML: names are what people typed). The list
// under the map says the same without it.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("review-map-config").textContent);

  function label(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  window.cymunedReviewMap = function (map) {
    var here = L.latLng(config.submission.lat, config.submission.lng);
    if (config.geometry && config.geometry.type !== "Point") {
      L.geoJSON(config.geometry, { style: { color: "#a33c00", weight: 3 }, interactive: false }).addTo(map);
    }
    L.marker(here, { title: config.labels.submission + ": " + config.submission.name, keyboard: true })
      .bindTooltip(label(config.labels.submission + ": " + config.submission.name), { permanent: true, direction: "top", offset: [-15, -15] })
      .addTo(map);
    var bounds = L.latLngBounds([here]);
    config.nearby.forEach(function (other) {
      var point = L.latLng(other.lat, other.lng);
      bounds.extend(point);
      L.circleMarker(point, { radius: 7, color: "#ffffff", weight: 2, fillColor: "#1d5fa0", fillOpacity: 1 })
        .bindTooltip(label(other.name + " (" + other.category + ")"))
        .addTo(map);
    });
    if (config.nearby.length) {
      map.fitBounds(bounds.pad(0.2), { maxZoom: 17 });
    } else {
      map.setView(here, 16);
    }
  };
})();
