// The client's own page: stepped safety questions, the diary (kept on the phone when offline
// and sent when the connection returns), the consent signature, and the offline app shell.

import { drawingOf, resetDrawing } from "./me-bodymap.js";

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";
const QUEUE = "myomap.diary.queue";

async function send(method, url, body) {
  const res = await fetch(url, {
    method, credentials: "same-origin",
    headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRF-Token": csrf() },
    body: JSON.stringify(body),
  });
  const data = (res.headers.get("content-type") || "").includes("json") ? await res.json() : null;
  if (!res.ok) {
    const err = new Error((data && data.detail) || `The server answered ${res.status}.`);
    err.status = res.status;
    throw err;
  }
  return data;
}

function randomKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// -- advice ------------------------------------------------------------------------------------

function showAdvice(decision, advice) {
  const box = document.getElementById("advice");
  if (!box) return;
  box.hidden = false;
  box.dataset.decision = decision;
  box.querySelector("[data-advice]").textContent = advice;
  box.scrollIntoView({ block: "start" });
}

// -- stepped safety questions ------------------------------------------------------------------

function stepper(form) {
  const steps = [...form.querySelectorAll(".step")];
  let at = 0;
  const show = (i) => {
    steps.forEach((s, j) => { s.hidden = j !== i; });
    at = i;
    steps[i].querySelector("legend")?.scrollIntoView({ block: "start" });
  };
  form.addEventListener("click", (ev) => {
    const btn = ev.target.closest("button");
    if (!btn) return;
    if (btn.dataset.answer) {
      for (const b of btn.parentElement.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === btn));
    } else if ("next" in btn.dataset) show(Math.min(at + 1, steps.length - 1));
    else if ("prev" in btn.dataset) show(Math.max(at - 1, 0));
    else if ("none" in btn.dataset) {
      for (const group of steps[at].querySelectorAll(".yesno")) {
        for (const b of group.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.answer === "no"));
      }
    }
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const answers = {};
    for (const q of form.querySelectorAll(".q")) {
      const id = q.dataset.id;
      const type = q.dataset.type;
      if (type === "boolean") {
        const pressed = q.querySelector('button[aria-pressed="true"]');
        if (pressed) answers[id] = pressed.dataset.answer === "yes";
        continue;
      }
      const input = q.querySelector("input, select");
      const raw = input ? input.value.trim() : "";
      if (!raw) continue;
      if (type === "integer") answers[id] = Number.parseInt(raw, 10);
      else if (type === "number") answers[id] = Number(raw.replace(",", "."));
      else if (type === "regions") answers[id] = raw.split(",").map((s) => s.trim()).filter(Boolean);
      else answers[id] = raw;
    }
    const error = form.querySelector("[data-form-error]");
    error.textContent = "";
    try {
      const body = { format: "myomap.intake/1", answers };
      const drawing = drawingOf("intake");
      if (drawing) body.drawing = drawing;
      const res = await send("POST", "/api/me/intake", body);
      showAdvice(res.decision, res.advice);
    } catch (e) {
      error.textContent = e.message;
    }
  });
}

// -- diary with an offline queue ---------------------------------------------------------------

const queued = () => JSON.parse(localStorage.getItem(QUEUE) || "[]");
const setQueue = (items) => localStorage.setItem(QUEUE, JSON.stringify(items));

async function flush(status) {
  const items = queued();
  if (!items.length) return;
  const left = [];
  for (const entry of items) {
    try {
      await send("POST", "/api/me/diary", entry);
    } catch (e) {
      if (e.status && e.status >= 400 && e.status < 500) continue; // refused: not sent again
      left.push(entry);
    }
  }
  setQueue(left);
  if (status) status.textContent = left.length ? `${left.length} entr${left.length === 1 ? "y" : "ies"} waiting to be sent.` : "All entries sent.";
}

function numberOrNull(input) {
  const raw = input?.value.trim();
  return raw ? Number.parseInt(raw, 10) : null;
}

function diary(form) {
  const status = form.querySelector("[data-diary-status]");
  const pain = form.querySelector("#pain");
  const out = form.querySelector("#pain-out");
  pain.addEventListener("input", () => { out.textContent = pain.value; });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const entry = {
      pain: Number.parseInt(pain.value, 10),
      sleep: numberOrNull(form.querySelector("#sleep")),
      stress: numberOrNull(form.querySelector("#stress")),
      analgesic_doses: numberOrNull(form.querySelector("#analgesic_doses")),
      home_care_done: [...form.querySelectorAll('input[name="home_care_done"]:checked')].map((i) => i.value),
      note: form.querySelector("#note").value,
      at: new Date().toISOString(),
      answers: Object.fromEntries([...form.querySelectorAll('input[name="flag"]:checked')].map((i) => [i.value, true])),
      entry_key: randomKey(),
    };
    if (!Object.keys(entry.answers).length) delete entry.answers;
    const drawing = drawingOf("diary");
    if (drawing) entry.drawing = drawing; // queued with the entry when offline, drawing and all
    try {
      const saved = await send("POST", "/api/me/diary", entry);
      status.textContent = "Saved.";
      if (saved.screening && ["emergency", "refer"].includes(saved.screening.decision)) showAdvice(saved.screening.decision, saved.screening.advice);
      form.reset();
      resetDrawing("diary");
      out.textContent = "0";
    } catch (e) {
      if (e.status) { status.textContent = e.message; return; }
      setQueue([...queued(), entry]);
      status.textContent = "Saved on this phone; it will be sent when you are back online.";
      form.reset();
      resetDrawing("diary");
      out.textContent = "0";
    }
  });
  window.addEventListener("online", () => flush(status));
  if (navigator.onLine) flush(status);
}

// -- consent signature -------------------------------------------------------------------------

function consent(form) {
  const canvas = form.querySelector("canvas");
  const ctx = canvas.getContext("2d");
  const strokes = [];
  let current = null;
  const point = (ev) => {
    const r = canvas.getBoundingClientRect();
    return [Math.round((ev.clientX - r.left) * canvas.width / r.width), Math.round((ev.clientY - r.top) * canvas.height / r.height)];
  };
  canvas.addEventListener("pointerdown", (ev) => { current = [point(ev)]; strokes.push(current); canvas.setPointerCapture(ev.pointerId); });
  canvas.addEventListener("pointermove", (ev) => {
    if (!current) return;
    const p = point(ev);
    const last = current[current.length - 1];
    current.push(p);
    ctx.beginPath(); ctx.moveTo(last[0], last[1]); ctx.lineTo(p[0], p[1]); ctx.lineWidth = 3; ctx.stroke();
  });
  canvas.addEventListener("pointerup", () => { current = null; });
  form.querySelector("[data-clear]").addEventListener("click", () => { strokes.length = 0; ctx.clearRect(0, 0, canvas.width, canvas.height); });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const error = form.querySelector("[data-consent-error]");
    error.textContent = "";
    try {
      await send("POST", "/api/me/consent", { typed_name: form.querySelector("#typed_name").value, signature: strokes, version: form.dataset.version });
      location.reload();
    } catch (e) {
      error.textContent = e.message;
    }
  });
}

const intakeForm = document.getElementById("me-intake");
if (intakeForm) stepper(intakeForm);
const diaryForm = document.getElementById("me-diary");
if (diaryForm) diary(diaryForm);
const consentForm = document.getElementById("me-consent");
if (consentForm) consent(consentForm);
const advice = document.getElementById("advice");
if (advice && !advice.hidden && ["emergency", "refer"].includes(advice.dataset.decision)) advice.scrollIntoView();
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/me/sw.js", { scope: "/" }).catch(() => {});
