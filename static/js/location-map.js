// One place on a small map: an asset's published location on its page (a submission's review
// has its own map with the assets near it: moderation-preview.js). The page says where it is in words too (address, and a
// directions link that works without this script).
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("location-map-config").textContent);

  window.cymunedLocationMap = function (map) {
    // A small map in the page: the wheel scrolls the page, the buttons zoom.
    map.scrollWheelZoom.disable();
    var place = L.geoJSON(config.geometry, {
      interactive: false,
      style: { color: "#005a5b", weight: 3 },
      pointToLayer: function (feature, latlng) {
        return L.marker(latlng, { title: config.label, alt: config.label, interactive: false, keyboard: false });
      },
    }).addTo(map);
    if (config.geometry.type === "Point") {
      map.setView(place.getBounds().getCenter(), 16);
    } else {
      map.fitBounds(place.getBounds(), { maxZoom: 17 });
    }
  };
})();
