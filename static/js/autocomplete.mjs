// Every <select data-autocomplete> becomes GOV.UK's accessible autocomplete: type part of a
// name to filter a long list. The select stays in the form (hidden) and is what is sent, so
// the server sees exactly what it would without JavaScript. Texts come translated from the
// widget (core/widgets.py).
import "../vendor/accessible-autocomplete/accessible-autocomplete.min.js";

const CHILD_MARK = /^–\s*/; // categories indent children with a dash in the plain select

function label(option) {
  return option.textContent.replace(CHILD_MARK, "").trim();
}

function fill(text, values) {
  return text.replace(/%\((\w+)\)s/g, (match, name) => (name in values ? values[name] : match));
}

// The library links its own hint to the input; keep the field's hint and error linked too.
function keepDescribed(input, ids) {
  const merge = () => {
    const current = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    const missing = ids.filter((id) => !current.includes(id));
    if (missing.length) input.setAttribute("aria-describedby", current.concat(missing).join(" "));
  };
  merge();
  new MutationObserver(merge).observe(input, { attributes: true, attributeFilter: ["aria-describedby"] });
}

function enhance(select) {
  const t = select.dataset;
  const options = Array.from(select.options).filter((option) => option.value);
  const byLabel = new Map(options.map((option) => [label(option), option]));
  const chosen = select.value ? label(select.options[select.selectedIndex]) : "";
  const described = (select.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  const id = select.id;

  window.accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    source: Array.from(byLabel.keys()),
    defaultValue: chosen,
    // The whole list opens on a tap, for people who would rather look than spell. Nothing is
    // chosen until a person picks it: a half-typed name never becomes a guess, and an
    // emptied box means none (the library's grey "ghost" completion, unlabelled, goes too).
    showAllValues: true,
    autoselect: false,
    inputClasses: select.classList.contains("govuk-select--error") ? "govuk-input--error" : null,
    onConfirm: (text) => {
      // Leaving the box without choosing keeps what it shows: a name on the list, or nothing.
      const typed = text === undefined ? document.getElementById(id).value : text;
      const option = byLabel.get(typed);
      const value = option ? option.value : "";
      if (select.value === value) return;
      select.value = value;
      // Scripts that follow the field (the map hides for a person's skill) hear the change.
      select.dispatchEvent(new Event("change", { bubbles: true }));
    },
    tNoResults: () => t.tNoResults,
    tStatusNoResults: () => t.tStatusNoResults,
    tStatusQueryTooShort: (count) => fill(t.tStatusTooShort, { count }),
    tStatusSelectedOption: (option, count, index) =>
      fill(t.tStatusSelected, { option, position: index + 1, count }),
    tStatusResults: (count, selected) =>
      `${count === 1 ? t.tStatusOne : fill(t.tStatusMany, { count })} ${selected}`,
    tAssistiveHint: () => t.tHint,
  });
  keepDescribed(document.getElementById(id), described);
}

for (const css of ["../vendor/accessible-autocomplete/accessible-autocomplete.min.css", "../css/autocomplete.css"]) {
  const stylesheet = document.createElement("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = new URL(css, import.meta.url);
  document.head.appendChild(stylesheet);
}
document.querySelectorAll("select[data-autocomplete]").forEach(enhance);
