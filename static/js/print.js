// The passphrase slip's "Print" button: shown only when JavaScript can print the page
// (without it, the browser's own Print menu uses the same print stylesheet).
document.querySelectorAll("[data-app-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
