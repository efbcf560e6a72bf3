// The area profile's spider chart (Chart.js) and its map of one indicator across the smaller
// areas (Leaflet). Both have a table on the page with the same figures.
(function () {
  "use strict";

  var script = document.currentScript;
  var chart = JSON.parse(document.getElementById("profile-chart-data").textContent);
  var canvas = document.getElementById("profile-chart");
  var AREA = "#1d70b8";
  var COMPARATOR = "#505a5f";

  if (canvas && window.Chart) {
    new window.Chart(canvas, {
      type: "radar",
      data: {
        labels: chart.labels,
        datasets: [
          { label: script.dataset.area, data: chart.area, borderColor: AREA,
            backgroundColor: "rgba(29, 112, 184, 0.2)", pointBackgroundColor: AREA },
          { label: script.dataset.comparator, data: chart.comparator, borderColor: COMPARATOR,
            borderDash: [6, 4], backgroundColor: "transparent", pointBackgroundColor: COMPARATOR },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          r: {
            min: -chart.limit,
            max: chart.limit,
            ticks: { stepSize: 1 },
            // On a phone the full names do not fit round the chart: the table has them.
            pointLabels: {
              callback: function (label) {
                return canvas.clientWidth < 500 && label.length > 14 ? label.slice(0, 13) + "…" : label;
              },
            },
          },
        },
      },
    });
  }

  // Five classes from light to dark, by quintile of the values shown.
  var SHADES = ["#f3f2f1", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];

  function breaks(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    return [1, 2, 3, 4].map(function (k) { return sorted[Math.floor((k * sorted.length) / 5)]; });
  }

  function shade(value, cuts) {
    if (value === null) return "#ffffff";
    var k = cuts.filter(function (cut) { return value >= cut; }).length;
    return SHADES[k];
  }

  window.cymunedProfileMap = function (map) {
    var children = JSON.parse(document.getElementById("profile-children").textContent);
    var values = children.map(function (c) { return c.value; }).filter(function (v) { return v !== null; });
    var cuts = breaks(values);
    var layer = L.geoJSON(null, {
      style: function (feature) {
        return { color: "#0b0c0c", weight: 1, fillOpacity: 0.8,
                 fillColor: shade(feature.properties.value, cuts) };
      },
      onEachFeature: function (feature, shape) {
        var p = feature.properties;
        shape.bindTooltip(p.name + ": " + (p.value === null ? script.dataset.noValue : p.value));
      },
    }).addTo(map);
    children.forEach(function (c) {
      if (c.boundary) layer.addData({ type: "Feature", geometry: c.boundary,
                                      properties: { name: c.name, value: c.value } });
    });
    if (layer.getLayers().length) map.fitBounds(layer.getBounds());
    var legend = document.getElementById("profile-legend");
    if (legend && values.length) {
      // One entry per shade: the range of values it stands for.
      var edges = [Math.min.apply(null, values)].concat(cuts, [Math.max.apply(null, values)]);
      SHADES.forEach(function (colour, k) {
        if (edges[k] === undefined || edges[k + 1] === undefined) return;
        var entry = document.createElement("span");
        entry.className = "app-legend-entry";
        var swatch = document.createElement("span");
        swatch.className = "app-swatch";
        swatch.style.background = colour;
        entry.append(swatch, " " + edges[k].toFixed(1) + "–" + edges[k + 1].toFixed(1));
        legend.append(entry);
      });
    }
  };
})();
