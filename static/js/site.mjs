// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Long lists (venues, categories, assets to link) filter as you type: loaded only where used.
if (document.querySelector("select[data-autocomplete]")) import("./autocomplete.mjs");
