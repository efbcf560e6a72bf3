// Placing an asset: tap the map or use "my location", then drag the pin. The point goes into
// the form's hidden `geometry` input as GeoJSON. Without JavaScript the address fields serve.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("point-picker-config").textContent);
  var input = document.getElementById("id_geometry");
  var status = document.getElementById("pin-status");
  var section = document.getElementById("location-section");
  var category = document.getElementById("id_category");

  window.cymunedPointPicker = function (map) {
    var pin = null;

    function store(latlng) {
      input.value = JSON.stringify({
        type: "Point",
        coordinates: [Number(latlng.lng.toFixed(6)), Number(latlng.lat.toFixed(6))],
      });
      status.textContent = config.placedLabel;
    }

    function place(latlng) {
      if (pin) {
        pin.setLatLng(latlng);
      } else {
        pin = L.marker(latlng, { draggable: true, title: config.pinLabel }).addTo(map);
        pin.on("dragend", function () { store(pin.getLatLng()); });
      }
      store(latlng);
    }

    function clear() {
      if (pin) { map.removeLayer(pin); pin = null; }
      input.value = "";
      status.textContent = config.clearedLabel;
    }

    if (config.site) {
      var outline = L.geoJSON(config.site, {
        style: { color: "#005a5b", weight: 2, fill: false, dashArray: "6 4" },
        interactive: false,
      }).addTo(map);
      map.fitBounds(outline.getBounds());
    }
    if (input.value) {
      try {
        var existing = L.geoJSON(JSON.parse(input.value));
        var centre = existing.getBounds().getCenter();
        if (JSON.parse(input.value).type === "Point") { place(centre); } else { existing.addTo(map); }
        map.setView(centre, 16);
      } catch (e) { input.value = ""; }
    }
    map.on("click", function (event) { place(event.latlng); });

    document.getElementById("use-my-location").addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = config.locateFailedLabel; return; }
      status.textContent = config.locatingLabel;
      navigator.geolocation.getCurrentPosition(function (position) {
        var here = L.latLng(position.coords.latitude, position.coords.longitude);
        place(here);
        map.setView(here, 17);
      }, function () { status.textContent = config.locateFailedLabel; }, { timeout: 10000 });
    });
    document.getElementById("remove-pin").addEventListener("click", clear);

    function followCategory() {
      var individual = config.individualCategories.indexOf(Number(category.value)) !== -1;
      section.hidden = individual;
      document.getElementById("consent-section").hidden = !individual;
      if (individual && pin) { clear(); }
      if (!individual) { map.invalidateSize(); }
    }
    category.addEventListener("change", followCategory);
    followCategory();
  };

  document.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });
})();
