// Small helpers shared by the pages: JSON calls with the CSRF token, element building, and
// forms marked data-api="METHOD /url" sent to the JSON API (the pages and the API share routes).

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

export async function api(method, url, body, signal) {
  const opts = { method, headers: { Accept: "application/json", "X-CSRF-Token": csrf() }, signal, credentials: "same-origin" };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(url, opts);
  const type = res.headers.get("content-type") || "";
  const data = type.includes("json") ? await res.json() : null;
  if (!res.ok) {
    if (res.status === 401) window.location.href = "/login?next=" + encodeURIComponent(location.pathname);
    throw new Error(plain((data && data.detail) || `The server answered ${res.status}.`));
  }
  return data;
}

// Messages the server also gives the command line: say what to do on the page instead.
function plain(message) {
  return String(message)
    .replace(/write it with 'myomap visit note'/g, "write it in the SOAP note boxes")
    .replace(/with 'myomap visit treat'/g, "with Chart another treatment")
    .replace(/\s*\((?:see|run) '?myomap [^)]*\)/g, "")
    .split(/(?<=[.;])\s+/)
    .filter((sentence) => !sentence.includes("'myomap "))
    .join(" ")
    .trim();
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function value(input) {
  const t = input.dataset.type || "";
  if (input.type === "checkbox") return input.checked;
  const raw = input.value.trim();
  if (raw === "") return undefined;
  if (t === "int") return Number.parseInt(raw, 10);
  if (t === "float") return Number(raw.replace(",", "."));
  if (t === "numbers") return raw.split(/[\s,;]+/).filter(Boolean).map((x) => (x === "-" ? null : Number(x)));
  if (t === "json") return JSON.parse(raw);
  return input.value;
}

export function formBody(form) {
  const body = {};
  for (const input of form.querySelectorAll("input[name], select[name], textarea[name]")) {
    if (input.name === "csrf_token" || input.disabled) continue;
    if (input.type === "radio" && !input.checked) continue;
    const v = value(input);
    if (v !== undefined) body[input.name] = v;
  }
  return body;
}

function fill(template, data) {
  return template.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(data?.[k] ?? ""));
}

// Listeners sit on the document, so parts of a page replaced after a change keep working.
// An element marked data-inplace does not reload the page: it announces "page:changed" (with
// the answer and the element) and the page script updates the parts that changed.
function done(source, data) {
  if (source.dataset.then) window.location.href = fill(source.dataset.then, data);
  else if (source.hasAttribute("data-inplace")) {
    document.dispatchEvent(new CustomEvent("page:changed", { detail: { data, source } }));
  } else window.location.reload();
}

document.addEventListener("submit", async (ev) => {
  const form = ev.target.closest("form[data-api]");
  if (!form) return;
  ev.preventDefault();
  const [method, url] = form.dataset.api.split(" ");
  const out = form.querySelector(".form-error") || form.appendChild(el("p", { class: "form-error", role: "alert" }));
  out.textContent = "";
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
  const button = form.querySelector("button[type=submit], button:not([type])");
  if (button?.disabled) return;
  if (button) button.disabled = true;
  try {
    const data = await api(method, url, formBody(form));
    if (form.hasAttribute("data-inplace")) {
      for (const input of form.querySelectorAll("input:not([type=hidden])")) input.value = "";
    }
    done(form, data);
  } catch (err) {
    out.textContent = err.message;
  } finally {
    if (button) button.disabled = false;
  }
});

document.addEventListener("click", async (ev) => {
  const button = ev.target.closest("button[data-post]");
  if (!button || button.disabled) return;
  const box = button.closest("[data-post-box]") || button.parentElement;
  const out = box.querySelector(".form-error") || box.appendChild(el("p", { class: "form-error", role: "alert" }));
  out.textContent = "";
  button.disabled = true;
  try {
    const data = await api("POST", button.dataset.post, JSON.parse(button.dataset.body || "{}"));
    done(button, data);
    if (button.hasAttribute("data-inplace")) button.disabled = false;
  } catch (err) {
    out.textContent = err.message;
    button.disabled = false;
  }
});

// Filters table rows in the page itself, so names typed into a search never travel in a URL.
for (const input of document.querySelectorAll("input[data-filter]")) {
  const body = document.querySelector(input.dataset.filter);
  input.addEventListener("input", () => {
    const key = input.value.trim().toLowerCase();
    for (const row of body.querySelectorAll("tr[data-key]")) {
      row.hidden = key !== "" && !row.dataset.key.includes(key);
    }
  });
}
