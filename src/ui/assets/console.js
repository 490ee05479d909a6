// structreg console: the only script besides htmx and uPlot. No inline script anywhere: configuration
// comes from data-* attributes. htmx runs with allowEval off (see the htmx-config meta tag).
(() => {
  // Forms post JSON (the API accepts JSON bodies only): an htmx extension encoding parameters as JSON.
  // Fields named "ids" always become arrays; repeated names become arrays too; empty fields are left out.
  htmx.defineExtension("sr-json", {
    onEvent(name, event) {
      if (name === "htmx:configRequest" && event.detail.verb !== "get") {
        event.detail.headers["Content-Type"] = "application/json";
        // The answer to an hx-prompt (the reason of a change) travels in the body: a header cannot carry
        // every character a person may type.
        const reason = event.detail.headers["HX-Prompt"];
        if (reason !== undefined) {
          delete event.detail.headers["HX-Prompt"];
          event.detail.formData.set("reason", reason);
        }
      }
    },
    encodeParameters(xhr, parameters) {
      xhr.overrideMimeType("text/json");
      const body = {};
      for (const [key, value] of parameters.entries()) {
        // An empty field is an absent one (an empty "exact percent" must not become 0).
        if (value === "") continue;
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
  // (Polling GETs, such as the rollout's live panel, leave it alone.)
  document.addEventListener("htmx:beforeRequest", (event) => {
    const config = event.detail.requestConfig;
    if (config && config.verb === "get") return;
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
      other.classList.toggle("outline", other !== button);
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

  // A schema file onto the check view's textarea: chosen with the file input (keyboard) or dropped on the
  // textarea. Only JSON within the size the server accepts is loaded; the status line says what happened.
  const MAX_FILE_BYTES = 2 * 1024 * 1024;
  function loadFile(file, into) {
    const status = document.getElementById(into.dataset.dropStatus || "");
    const say = (text) => {
      if (status) status.textContent = text;
    };
    if (file.size > MAX_FILE_BYTES) return say(`${file.name} is too big (over 2 MiB): not loaded.`);
    file.text().then((text) => {
      try {
        JSON.parse(text);
      } catch {
        return say(`${file.name} is not JSON: not loaded.`);
      }
      into.value = text;
      say(`Loaded ${file.name} (${file.size} bytes).`);
    });
  }
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.matches?.("[data-load-into]") || !input.files[0]) return;
    loadFile(input.files[0], document.getElementById(input.dataset.loadInto));
  });
  document.addEventListener("dragover", (event) => {
    const target = event.target.closest?.("[data-drop-target]");
    if (!target) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    target.classList.add("drop-over");
  });
  document.addEventListener("dragleave", (event) => {
    event.target.closest?.("[data-drop-target]")?.classList.remove("drop-over");
  });
  document.addEventListener("drop", (event) => {
    const target = event.target.closest?.("[data-drop-target]");
    if (!target) return;
    target.classList.remove("drop-over");
    const file = event.dataTransfer?.files?.[0];
    // Dropped text (not a file) is left to the browser: it inserts it into the textarea.
    if (!file) return;
    event.preventDefault();
    loadFile(file, target);
  });

  // Rollout chart: each refresh of the live panel (polled every 2 s) carries the server's sampled history
  // (data-series: [seconds, candidate %, stable %, threshold %] rows, so a reload keeps it) and the latest
  // figures (data-* attributes, the same as the table beside the chart), drawn as the last point.
  let chart = null;
  function num(value) {
    return value === "" || value === undefined ? null : Number(value);
  }
  function addPoint(panel) {
    const box = document.getElementById("rollout-chart");
    if (!box || typeof uPlot === "undefined") return;
    const series = [[], [], [], []];
    let rows = [];
    try {
      rows = JSON.parse(panel.dataset.series || "[]");
    } catch {
      rows = [];
    }
    for (const row of rows) for (let i = 0; i < 4; i++) series[i].push(row[i]);
    const now = Date.parse(panel.dataset.at) / 1000;
    if (series[0].length === 0 || now > series[0][series[0].length - 1]) {
      series[0].push(now);
      series[1].push(num(panel.dataset.candidateRate));
      series[2].push(num(panel.dataset.stableRate));
      series[3].push(num(panel.dataset.threshold));
    }
    if (chart === null) {
      const width = Math.max(280, box.clientWidth || 600);
      chart = new uPlot(
        {
          width,
          height: 220,
          scales: { y: { range: [0, 100] } },
          series: [
            {},
            { label: "candidate %", stroke: "#c62828", width: 2 },
            { label: "stable %", stroke: "#1565c0", width: 2, dash: [6, 4] },
            { label: "threshold %", stroke: "#6d4c41", width: 1, dash: [2, 4] },
          ],
          axes: [{}, { label: "failure rate %" }],
        },
        series,
        box,
      );
    } else {
      chart.setData(series);
    }
  }
  function initChart() {
    const panel = document.getElementById("rollout-live");
    if (panel) addPoint(panel);
  }
  document.addEventListener("DOMContentLoaded", initChart);
  document.addEventListener("htmx:afterSettle", (event) => {
    const panel = document.getElementById("rollout-live");
    if (panel && event.detail.elt && event.detail.elt.id === "rollout-live") addPoint(panel);
  });

  window.structregConsole = { ready: true };
})();
