// Barriers on the shared map: their own layer, switched on and off with a checkbox and
// filtered by kind and by whom they affect, drawn as a warning triangle (a shape no asset
// uses) with a key entry. It hooks in through django-leaflet's "map:init" event, so the
// asset map's script needs no change. Titles go into the page only as text (never as HTML).
//
// Include it before {% leaflet_map %}, with the address of its options:
//   <script src=".../barrier-layer.js" data-options-url="{% url 'barrier-layer-options' %}"></script>
(function () {
  "use strict";

  var script = document.currentScript;
  var optionsUrl = script && script.dataset.optionsUrl;
  var mapId = (script && script.dataset.mapId) || "asset-map";
  if (!optionsUrl) return;

  // Constant markup (no data in it): a yellow triangle with a dark edge and "!".
  var TRIANGLE =
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="22" viewBox="0 0 24 22" ' +
    'aria-hidden="true" focusable="false"><path d="M12 1.5 23 20.5H1Z" fill="#f2c200" ' +
    'stroke="#0b0c0c" stroke-width="2" stroke-linejoin="round"/><rect x="11" y="7" ' +
    'width="2" height="7" fill="#0b0c0c"/><circle cx="12" cy="17" r="1.4" fill="#0b0c0c"/></svg>';

  function debounce(fn, ms) {
    var timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function select(id, label, anyLabel, choices) {
    var group = element("div", "govuk-form-group");
    var labelNode = element("label", "govuk-label", label);
    labelNode.htmlFor = id;
    var input = element("select", "govuk-select");
    input.id = id;
    [["", anyLabel]].concat(choices).forEach(function (choice) {
      var option = element("option", "", choice[1]);
      option.value = choice[0];
      input.append(option);
    });
    group.append(labelNode, input);
    return { group: group, input: input };
  }

  function controls(labels, options) {
    var fieldset = element("fieldset", "govuk-fieldset app-barrier-controls");
    fieldset.append(element("legend", "govuk-fieldset__legend govuk-fieldset__legend--s", labels.heading));
    var boxes = element("div", "govuk-checkboxes govuk-checkboxes--small govuk-form-group");
    var item = element("div", "govuk-checkboxes__item");
    var show = element("input", "govuk-checkboxes__input");
    show.type = "checkbox";
    show.id = "barrier-show";
    show.checked = true;
    var showLabel = element("label", "govuk-label govuk-checkboxes__label", labels.show);
    showLabel.htmlFor = show.id;
    item.append(show, showLabel);
    boxes.append(item);
    var grid = element("div", "app-filter-grid");
    var kind = select("barrier-kind", labels.kind, labels.allKinds, options.kinds);
    var affects = select("barrier-affects", labels.affects, labels.anyone, options.affects);
    grid.append(kind.group, affects.group);
    var status = element("p", "govuk-body-s");
    status.id = "barrier-status";
    status.setAttribute("role", "status");
    fieldset.append(boxes, grid, status);
    if (options.listUrl) {
      var link = element("a", "govuk-link", labels.list);
      link.href = options.listUrl;
      var para = element("p", "govuk-body-s");
      para.append(link);
      fieldset.append(para);
    }
    return { root: fieldset, show: show, kind: kind.input, affects: affects.input, status: status };
  }

  function addKeyEntry(labels) {
    var key = document.querySelector(".app-legend");
    if (!key) return;
    var entry = element("li");
    entry.insertAdjacentHTML("afterbegin", TRIANGLE);
    entry.append(" " + labels.legend);
    key.append(entry);
  }

  function labelOf(choices, value) {
    var match = choices.filter(function (choice) { return choice[0] === value; })[0];
    return match ? match[1] : value;
  }

  function popup(feature, options) {
    var labels = options.labels;
    var box = element("div");
    box.append(
      element("p", "govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1", feature.properties.title),
      element("p", "govuk-body-s govuk-!-margin-bottom-1",
        labels.kindLabel + ": " + labelOf(options.kinds, feature.properties.kind)),
      element("p", "govuk-body-s govuk-!-margin-bottom-1",
        labels.affectsLabel + ": " + labelOf(options.affects, feature.properties.affects))
    );
    if (options.listUrl) {
      var link = element("a", "govuk-link", labels.more);
      link.href = options.listUrl.replace("#barriers", "#barrier-" + Number(feature.id));
      box.append(link);
    }
    return box;
  }

  function marker(feature, options) {
    var coords = feature.geometry.coordinates;
    var icon = L.divIcon({
      className: "app-barrier-marker",
      html: TRIANGLE,
      iconSize: [24, 22],
      iconAnchor: [12, 21],
      popupAnchor: [0, -18],
    });
    return L.marker([coords[1], coords[0]], {
      icon: icon,
      title: feature.properties.title,
      alt: feature.properties.title,
      zIndexOffset: 1000,
    }).bindPopup(function () { return popup(feature, options); });
  }

  function start(map, options) {
    var labels = options.labels;
    var ui = controls(labels, options);
    var container = map.getContainer();
    var anchor = document.getElementById("map-status") || container;
    anchor.after(ui.root);
    addKeyEntry(labels);
    var layer = L.layerGroup().addTo(map);
    var controller = null;
    // What was last fetched: an area half as wide again as the view on every side, and the
    // filters it was fetched with. Panning or zooming inside it fetches nothing.
    var loaded = null;

    function filters() {
      return ui.kind.value + "|" + ui.affects.value;
    }

    function showCount() {
      var view = map.getBounds();
      var count = 0;
      layer.eachLayer(function (marker) {
        if (view.contains(marker.getLatLng())) count += 1;
      });
      ui.status.textContent = count === 1 ? labels.countOne : labels.countMany.replace("%(count)s", count);
      container.dataset.barriersLoaded = String(count);
    }

    function load() {
      if (!ui.show.checked) {
        if (controller) controller.abort();
        layer.remove();
        ui.status.textContent = "";
        return;
      }
      layer.addTo(map);
      if (loaded && loaded.filters === filters() && loaded.bounds.contains(map.getBounds())) {
        showCount();
        return;
      }
      if (controller) controller.abort();
      var b = map.getBounds().pad(0.5);
      var params = new URLSearchParams();
      params.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map(function (n) { return n.toFixed(5); }).join(","));
      if (ui.kind.value) params.set("kind", ui.kind.value);
      if (ui.affects.value) params.set("affects", ui.affects.value);
      var wanted = { bounds: b, filters: filters() };
      controller = new AbortController();
      fetch(options.layerUrl + "?" + params.toString(), { signal: controller.signal })
        .then(function (response) { return response.json(); })
        .then(function (collection) {
          layer.clearLayers();
          collection.features.forEach(function (feature) { layer.addLayer(marker(feature, options)); });
          loaded = wanted;
          showCount();
        })
        .catch(function () { /* a newer request replaced this one */ });
    }

    map.on("moveend", debounce(load, 250));
    [ui.show, ui.kind, ui.affects].forEach(function (input) {
      input.addEventListener("change", load);
    });
    load();
  }

  window.addEventListener("map:init", function (event) {
    if (!event.detail || event.detail.id !== mapId) return;
    var map = event.detail.map;
    fetch(optionsUrl, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (options) { start(map, options); });
  });
})();
