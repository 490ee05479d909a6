// structreg console: the only script besides htmx and uPlot. No inline script anywhere: configuration
// comes from data-* attributes. htmx runs with allowEval off (see the htmx-config meta tag).
(() => {
  // Forms post JSON (the API accepts JSON bodies only): an htmx extension encoding parameters as JSON.
  // Fields named "ids" always become arrays; repeated names become arrays too.
  htmx.defineExtension("sr-json", {
    onEvent(name, event) {
      if (name === "htmx:configRequest" && event.detail.verb !== "get") {
        event.detail.headers["Content-Type"] = "application/json";
      }
    },
    encodeParameters(xhr, parameters) {
      xhr.overrideMimeType("text/json");
      const body = {};
      for (const [key, value] of parameters.entries()) {
        if (key in body) body[key] = [].concat(body[key], value);
        else body[key] = key === "ids" ? [value] : value;
      }
      return JSON.stringify(body);
    },
  });

  // Error answers are swapped into #flash; move focus there so keyboard and screen-reader users notice.
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target && target.id === "flash" && target.firstElementChild) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });
  // A new successful action clears the previous error.
  document.addEventListener("htmx:beforeRequest", () => {
    const flash = document.getElementById("flash");
    if (flash) flash.replaceChildren();
  });

  // Schema toggle (pretty JSON / provider form) without script in the page: buttons name the panel to show.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-show-panel]");
    if (!button) return;
    const group = button.closest("[data-panels]");
    for (const panel of group.querySelectorAll("[data-panel]")) {
      panel.hidden = panel.dataset.panel !== button.dataset.showPanel;
    }
    for (const other of group.querySelectorAll("[data-show-panel]")) {
      other.setAttribute("aria-pressed", String(other === button));
    }
  });

  // Diff: a difference's path link scrolls both sides to the line that holds it.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-diff-line]");
    if (!link) return;
    event.preventDefault();
    for (const row of document.querySelectorAll(".diff-row.target")) row.classList.remove("target");
    const row = document.getElementById(link.dataset.diffLine);
    if (row) {
      row.classList.add("target");
      row.scrollIntoView({ block: "center" });
      row.focus();
    }
  });

  // File drop on the check view: read a dropped .json file into the schema textarea.
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.matches?.("[data-load-into]") || !input.files[0]) return;
    const into = document.getElementById(input.dataset.loadInto);
    input.files[0].text().then((text) => {
      into.value = text;
    });
  });

  window.structregConsole = { ready: true };
})();
