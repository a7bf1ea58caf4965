// The page script, one file every page loads (a few kilobytes, no library; named by its content,
// so a browser caches it until this source changes: src/site/emitAssets.ts): filters switch
// between the renderings the build made for each option and keep their state in the URL
// (deep links); table headers sort; CSV buttons download a table; chart marks show tooltips.
(() => {
  const doc = document;
  const filters = [...doc.querySelectorAll("[data-input]")];
  const state = {};
  const defaults = {};
  const optionsOf = (filter) =>
    filter.querySelector("select")
      ? [...filter.querySelectorAll("option")].map((o) => o.value)
      : [...filter.querySelectorAll("button[data-value]")].map((b) => b.dataset.value);
  const params = new URLSearchParams(location.search);
  for (const filter of filters) {
    const name = filter.dataset.input;
    defaults[name] = filter.dataset.default;
    const wanted = params.get(name);
    state[name] = wanted !== null && optionsOf(filter).includes(wanted) ? wanted : defaults[name];
  }

  const apply = (write) => {
    for (const filter of filters) {
      const value = state[filter.dataset.input];
      const select = filter.querySelector("select");
      if (select) select.value = value;
      for (const button of filter.querySelectorAll("button[data-value]")) {
        button.setAttribute("aria-pressed", String(button.dataset.value === value));
      }
    }
    for (const group of doc.querySelectorAll(".variants")) {
      const key = group.dataset.inputs
        .split(",")
        .map((name) => `${name}=${encodeURIComponent(state[name] ?? "")}`)
        .join("&");
      const children = [...group.children];
      const match = children.find((child) => child.dataset.key === key) ?? children[0];
      for (const child of children) child.hidden = child !== match;
    }
    if (write) {
      const url = new URL(location.href);
      for (const name of Object.keys(state)) {
        if (state[name] === defaults[name]) url.searchParams.delete(name);
        else url.searchParams.set(name, state[name]);
      }
      history.replaceState(null, "", url);
    }
  };
  if (filters.length) apply(false);

  doc.addEventListener("change", (event) => {
    const filter = event.target.closest("[data-input]");
    if (!filter) return;
    state[filter.dataset.input] = event.target.value;
    apply(true);
  });

  const text = (cell) => (cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent.trim());
  const csvField = (value) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  // Spreadsheet programs run cells starting with = + - @ as formulas: quote them as text.
  const safe = (value) => (/^[=+\-@\t\r]/.test(value) && Number.isNaN(Number(value)) ? `'${value}` : value);

  doc.addEventListener("click", (event) => {
    const option = event.target.closest("[data-input] button[data-value]");
    if (option) {
      state[option.closest("[data-input]").dataset.input] = option.dataset.value;
      apply(true);
      return;
    }
    const sort = event.target.closest("button[data-sort]");
    if (sort) {
      const th = sort.closest("th");
      const table = th.closest("table");
      const index = Number(sort.dataset.sort);
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      for (const other of table.querySelectorAll("th")) other.setAttribute("aria-sort", "none");
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const body = table.tBodies[0];
      const rows = [...body.rows];
      const key = (row) => {
        const value = text(row.cells[index]);
        const number = Number(value);
        return value !== "" && Number.isFinite(number) ? number : value;
      };
      rows.sort((a, b) => {
        const x = key(a);
        const y = key(b);
        if (x === "" || y === "") return x === "" ? 1 : -1;
        const order =
          typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
        return ascending ? order : -order;
      });
      body.append(...rows);
      return;
    }
    const csv = event.target.closest("button[data-csv]");
    if (csv) {
      const table = csv.parentElement.nextElementSibling.querySelector("table");
      const lines = [[...table.tHead.rows[0].cells].map((cell) => csvField(cell.textContent.trim()))];
      for (const row of table.tBodies[0].rows)
        lines.push([...row.cells].map((cell) => csvField(safe(text(cell)))));
      const blob = new Blob([`\uFEFF${lines.map((line) => line.join(",")).join("\r\n")}\r\n`], {
        type: "text/csv;charset=utf-8",
      });
      const link = doc.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = `${csv.dataset.csv || "table"}.csv`;
      doc.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    }
  });

  const tip = doc.querySelector(".tip");
  const show = (event) => {
    // The nearest mark with its own <title> (the chart's <svg> has one too: not a mark).
    let mark = event.target.closest?.("svg.plot *");
    while (mark && mark.tagName !== "svg" && !mark.querySelector(":scope > title")) mark = mark.parentElement;
    const title = mark && mark.tagName !== "svg" ? mark.querySelector(":scope > title") : null;
    if (!title || !tip) {
      if (tip) tip.hidden = true;
      return;
    }
    tip.textContent = title.textContent.trim();
    tip.hidden = false;
    const x = Math.min(event.clientX + 12, innerWidth - tip.offsetWidth - 8);
    const y = event.clientY - tip.offsetHeight - 12;
    tip.style.setProperty("left", `${Math.max(8, x)}px`);
    tip.style.setProperty("top", `${y < 8 ? event.clientY + 16 : y}px`);
  };
  doc.addEventListener("pointermove", show);
  doc.addEventListener("pointerdown", show);
})();
