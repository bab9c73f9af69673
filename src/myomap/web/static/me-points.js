// Personal mode: tap the painful regions on the chart, then ask for the likely trigger points
// that are safe to press oneself. The server applies the safety answers: a referral or an
// emergency shows the advice and no pressure instructions.

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";
const chart = document.querySelector("[data-points-chart]");
const marked = new Set();

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function toggle(path) {
  const id = path.dataset.region;
  if (marked.has(id)) marked.delete(id); else marked.add(id);
  const on = marked.has(id);
  path.classList.toggle("current", on);
  path.setAttribute("aria-pressed", String(on));
  path.style.fill = on ? "#d84315" : "";
  const labels = [...marked].map((r) => chart.querySelector(`[data-region="${r}"] title`)?.textContent || r);
  document.querySelector("[data-marked]").textContent = labels.length ? `Marked: ${labels.join(", ")}` : "Nothing marked yet.";
}

for (const path of chart.querySelectorAll("path[data-region]")) {
  path.setAttribute("tabindex", "0");
  path.setAttribute("role", "button");
  path.setAttribute("aria-pressed", "false");
  path.addEventListener("click", () => toggle(path));
  path.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); toggle(path); }
  });
}

const sentence = (text) => (text && !/[.!?]$/.test(text.trim()) ? `${text.trim()}.` : text);

function showPoint(p, light) {
  const li = el("li", null, "point");
  li.dataset.trp = p.trigger_point;
  li.append(el("h3", `${p.muscle} (${p.side}): ${p.name}`));
  if (p.where) li.append(el("p", `Where: ${p.where}`));
  li.append(el("p", `Find it: ${p.find_position}`));
  const how = [p.position, p.instructions].filter(Boolean).map(sentence).join(" ");
  li.append(el("p", `Press with ${p.tool}. ${how}`));
  if (light) li.append(el("p", "Your answers allow gentle pressure only: you should feel it, but it must not hurt.", "caution"));
  li.append(el("p", `Hold ${p.hold_seconds} s, ${p.repetitions} times, ${p.frequency}.`, "small"));
  for (const c of p.cautions) li.append(el("p", c, "caution"));
  if (p.stretch) {
    const fig = el("figure", null, "exercise");
    if (p.stretch.picture) {
      const pic = el("div", null, "pose-pic");
      pic.innerHTML = p.stretch.picture; // SVG drawn by the server from the pose data
      fig.append(pic);
    }
    fig.append(el("figcaption", `${p.stretch.name}: ${p.stretch.instructions}`));
    li.append(fig);
  }
  return li;
}

document.querySelector("[data-find]").addEventListener("click", async () => {
  const error = document.querySelector("[data-points-error]");
  error.textContent = "";
  const intensity = Number(document.querySelector("[data-intensity]").value);
  const res = await fetch("/api/me/points", {
    method: "POST", credentials: "same-origin",
    headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRF-Token": csrf() },
    body: JSON.stringify({ regions: [...marked], intensity }),
  });
  const data = await res.json();
  if (!res.ok) { error.textContent = data.detail || `The server answered ${res.status}.`; return; }
  const advice = document.getElementById("advice");
  const result = document.querySelector("[data-points-result]");
  const list = document.querySelector("[data-points]");
  list.replaceChildren();
  advice.hidden = !["emergency", "refer", "not_screened"].includes(data.decision);
  advice.dataset.decision = data.decision;
  advice.querySelector("[data-advice]").textContent = data.advice;
  result.hidden = !data.points.length && advice.hidden === false;
  for (const p of data.points) list.append(showPoint(p, data.pressure_limit === "light"));
  if (!data.points.length && advice.hidden) list.append(el("li", "None of the likely points for this drawing is safe to press yourself: ask a therapist.", "muted"));
  document.querySelector("[data-left-out]").textContent = data.left_out ? `${data.left_out} other likely point(s) are left out: not safe to press yourself.` : "";
  (advice.hidden ? result : advice).scrollIntoView({ block: "start" });
});
