// Personal mode: draw the pain on the body map (the client's wrapper of the staff module), then
// ask for the likely trigger points that are safe to press oneself, and keep the drawing in the
// diary. The server applies the safety answers: a referral or an emergency shows the advice and
// no pressure instructions.
import { mountClientMap } from "./me-bodymap.js";

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";
const map = mountClientMap(document.querySelector("[data-me-bodymap]"));

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

async function post(url, body) {
  const res = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRF-Token": csrf() },
    body: JSON.stringify(body),
  });
  const data = (res.headers.get("content-type") || "").includes("json") ? await res.json() : {};
  if (!res.ok) throw new Error(data.detail || `The server answered ${res.status}.`);
  return data;
}

function randomKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
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
  const drawing = map.current();
  if (!drawing) { error.textContent = "Mark at least one painful place on the body map first."; return; }
  let data;
  try {
    data = await post("/api/me/points", { drawing });
  } catch (e) {
    error.textContent = e.message;
    return;
  }
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
  const pain = document.getElementById("keep-pain");
  pain.value = String(Math.max(...drawing.areas.map((a) => a.intensity)));
  document.getElementById("keep-pain-out").textContent = pain.value;
  (advice.hidden ? result : advice).scrollIntoView({ block: "start" });
});

// -- keep the drawing in the diary -------------------------------------------------------------

const keep = document.querySelector("[data-keep-form]");
const keepPain = document.getElementById("keep-pain");
keepPain.addEventListener("input", () => { document.getElementById("keep-pain-out").textContent = keepPain.value; });
keep.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const status = keep.querySelector("[data-keep-status]");
  const drawing = map.current();
  if (!drawing) { status.textContent = "Mark where it hurts on the body map first."; return; }
  try {
    await post("/api/me/diary", {
      pain: Number.parseInt(keepPain.value, 10), drawing, note: document.getElementById("keep-note").value,
      at: new Date().toISOString(), entry_key: randomKey(),
    });
    status.textContent = "Saved in your diary, with the drawing.";
  } catch (e) {
    status.textContent = e.message;
  }
});
