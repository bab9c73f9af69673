// Stepped intake: one section at a time with a progress bar, Yes/No buttons, "None of these"
// per section, region questions answered on the body map (with the region list as a fallback), follow-up questions
// shown only when the server says the answers so far or the latest drawing call for them, errors
// at the question in plain words, and the last intake offered for review ("still true?").
import { api, el } from "./forms.js";
import { regionMap } from "./intake-map.js";

const form = document.getElementById("intake-form");
const regionIds = new Map();
const regionLabels = new Map();
for (const o of document.querySelectorAll("#region-list option")) {
  regionIds.set(o.value.toLowerCase(), o.dataset.id);
  regionLabels.set(o.dataset.id, o.value);
}

// The question's own words for an error naming its field ("intake field 'age': expected ...").
export function plainError(message, questions) {
  const m = /'(?:answers\.)?([a-z0-9_]+)'/.exec(message);
  const q = m && questions.get(m[1]);
  if (!q) return { id: null, text: message };
  const detail = message.replace(/^intake field '[a-z0-9_.]+':\s*/, "").replace(/'[a-z0-9_.]+'/g, "this answer");
  const parts = /^expected (.*), got (.*?)\.?$/.exec(detail);
  const text = parts ? `The answer should be ${parts[1].replace(/true\/false/, "Yes or No")}; ${parts[2]} was given.` : detail;
  return { id: m[1], text };
}

function setPressed(q, answer) {
  for (const b of q.querySelectorAll(".yesno button")) b.setAttribute("aria-pressed", String(b.dataset.answer === answer));
}

function markNone(q) {
  const list = q.querySelector("[data-chips]");
  list.replaceChildren(el("li", { "data-none-chosen": "" }, "None"));
}

function addChip(q, id) {
  const list = q.querySelector("[data-chips]");
  list.querySelector("[data-none-chosen]")?.remove();
  if (list.querySelector(`[data-region="${CSS.escape(id)}"]`)) return;
  const label = regionLabels.get(id) || id;
  const remove = el("button", { type: "button", class: "small", "data-remove": "", "aria-label": `Remove ${label}` }, `${label} ✕`);
  list.appendChild(el("li", { "data-region": id }, remove));
}

function readAnswer(q) {
  const type = q.dataset.type;
  if (type === "boolean") {
    const pressed = q.querySelector('button[aria-pressed="true"]');
    return pressed ? pressed.dataset.answer === "yes" : undefined;
  }
  if (type === "regions") {
    const ids = [...q.querySelectorAll("[data-chips] [data-region]")].map((li) => li.dataset.region);
    return ids.length ? ids : q.querySelector("[data-none-chosen]") ? [] : undefined;
  }
  const raw = q.querySelector("input, select").value.trim();
  if (!raw) return undefined;
  if (type === "integer") return /^-?\d+$/.test(raw) ? Number.parseInt(raw, 10) : raw;
  if (type === "number") return Number.isNaN(Number(raw.replace(",", "."))) ? raw : Number(raw.replace(",", "."));
  return raw;
}

// A number the server would refuse is left out of the follow-up question (saving reports it).
function readable(q, v) {
  if (q.dataset.type !== "integer" && q.dataset.type !== "number") return true;
  if (typeof v !== "number") return false;
  const { min, max } = q.querySelector("input").dataset;
  return !(min !== undefined && v < Number(min)) && !(max !== undefined && v > Number(max));
}

function writeAnswer(q, value) {
  const type = q.dataset.type;
  if (type === "boolean") setPressed(q, value === true ? "yes" : value === false ? "no" : "");
  else if (type === "regions") {
    q.querySelector("[data-chips]").replaceChildren();
    if (Array.isArray(value) && !value.length) markNone(q);
    for (const id of Array.isArray(value) ? value : []) addChip(q, id);
  } else q.querySelector("input, select").value = value === undefined || value === null ? "" : String(value);
}

if (form) {
  const steps = [...form.querySelectorAll(".step")];
  const questions = new Map([...form.querySelectorAll(".q")].map((q) => [q.dataset.id, q]));
  const painful = JSON.parse(form.dataset.painful || "[]");
  const progressText = document.querySelector("[data-progress-text]");
  const progress = document.querySelector("#intake-progress progress");
  const nav = { prev: form.querySelector("[data-prev]"), next: form.querySelector("[data-next]"), save: form.querySelector("[data-save]") };
  let at = 0;

  const visible = (q) => !q.hidden;
  const shown = () => steps.filter((s) => [...s.querySelectorAll(".q")].some(visible));
  const answers = () => {
    const out = {};
    for (const [id, q] of questions) {
      if (!visible(q)) continue;
      const v = readAnswer(q);
      if (v !== undefined) out[id] = v;
    }
    return out;
  };

  function show(step) {
    const list = shown();
    if (!list.includes(step)) step = list[Math.min(list.length - 1, Math.max(0, list.indexOf(steps[at])))] || list[0];
    steps.forEach((s) => { s.hidden = s !== step; });
    at = steps.indexOf(step);
    const n = list.indexOf(step);
    progressText.textContent = `Section ${n + 1} of ${list.length}: ${step.querySelector("legend").textContent.trim()}`;
    progress.max = list.length;
    progress.value = n + 1;
    nav.prev.hidden = n === 0;
    nav.next.hidden = n === list.length - 1;
    nav.save.hidden = n !== list.length - 1;
  }
  // One body chart for the region questions, opened under the question being answered.
  const mapBox = form.querySelector("[data-intake-map]");
  const chosenIds = (q) => [...q.querySelectorAll("[data-chips] [data-region]")].map((li) => li.dataset.region);
  const map = mapBox && regionMap(mapBox, (id) => regionLabels.get(id) || id, {
    chosen: chosenIds,
    toggle(q, id) {
      const had = q.querySelector(`[data-chips] [data-region="${CSS.escape(id)}"]`);
      if (had) had.remove();
      else addChip(q, id);
      clearError(q);
      later();
    },
  });

  const move = (delta) => {
    map?.close();
    const list = shown();
    const n = list.indexOf(steps[at]) + delta;
    if (n < 0 || n >= list.length) return;
    show(list[n]);
    list[n].querySelector("legend").scrollIntoView({ block: "start" });
  };

  // Follow-ups: the server evaluates each one's condition with the screening's own grammar.
  let asking = 0;
  async function refreshFollowUps() {
    const ticket = ++asking;
    const sent = {};
    for (const [id, q] of questions) {
      if ("followUp" in q.dataset && q.hidden) continue;
      const v = readAnswer(q);
      if (v !== undefined && readable(q, v)) sent[id] = v;
    }
    // An answer the server cannot read yet is left out (its error shows on saving).
    for (let tries = 0; tries < 5; tries++) {
      try {
        const data = await api("POST", "/api/screen/questions", { answers: sent, painful });
        if (ticket !== asking) return;
        const ask = new Set(data.ask);
        for (const [id, q] of questions) if ("followUp" in q.dataset) q.hidden = !ask.has(id);
        show(steps[at]);
        return;
      } catch (err) {
        const found = plainError(err.message, questions);
        if (!found.id || !(found.id in sent)) return;
        delete sent[found.id];
      }
    }
  }
  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(refreshFollowUps, 250); };

  function clearError(q) {
    q.classList.remove("has-error");
    const p = q.querySelector(".q-error");
    p.hidden = true;
    p.textContent = "";
  }

  form.addEventListener("click", (ev) => {
    const btn = ev.target.closest("button");
    if (!btn) return;
    const q = btn.closest(".q");
    if (btn.dataset.answer && q) {
      setPressed(q, btn.getAttribute("aria-pressed") === "true" ? "" : btn.dataset.answer);
      clearError(q);
      later();
    } else if ("map" in btn.dataset && q) map?.open(q);
    else if ("next" in btn.dataset) move(1);
    else if ("prev" in btn.dataset) move(-1);
    else if ("none" in btn.dataset) {
      for (const each of steps[at].querySelectorAll('.q[data-type="boolean"]')) if (visible(each)) setPressed(each, "no");
      for (const each of steps[at].querySelectorAll('.q[data-type="regions"]')) if (visible(each)) markNone(each);
      later();
    } else if ("add" in btn.dataset && q) addRegion(q);
    else if ("remove" in btn.dataset && q) {
      btn.closest("li").remove();
      later();
    }
  });

  function addRegion(q) {
    const input = q.querySelector("input");
    const typed = input.value.trim().toLowerCase();
    const words = typed.split(/\s+/).filter(Boolean);
    const near = [...regionIds.keys()].filter((label) => words.length && words.every((w) => label.includes(w)));
    const id = regionIds.get(typed) || (near.length === 1 ? regionIds.get(near[0]) : undefined);
    const err = q.querySelector(".q-error");
    if (!id) {
      q.classList.add("has-error");
      const shownNear = near.slice(0, 6).map((label) => regionLabels.get(regionIds.get(label))).join(", ");
      err.textContent = !typed ? "Type a few letters and choose a body region from the list."
        : near.length ? `Several body regions match: ${shownNear}${near.length > 6 ? ", …" : ""}. Choose one from the list.`
        : `"${input.value.trim()}" is not a body region on the chart; choose one from the list.`;
      err.hidden = false;
      return;
    }
    clearError(q);
    addChip(q, id);
    input.value = "";
    later();
  }

  form.addEventListener("keydown", (ev) => {
    const q = ev.target.closest('.q[data-type="regions"]');
    if (q && ev.key === "Enter" && ev.target.matches("input")) { ev.preventDefault(); addRegion(q); }
  });
  form.addEventListener("change", (ev) => {
    const q = ev.target.closest(".q");
    if (!q) return;
    if (q.dataset.type === "regions") { if (regionIds.has(ev.target.value.trim().toLowerCase())) addRegion(q); return; }
    clearError(q);
    later();
  });

  const review = document.getElementById("intake-review");
  if (review) {
    review.addEventListener("click", (ev) => {
      const btn = ev.target.closest("button");
      if (!btn) return;
      if ("useLast" in btn.dataset) {
        const last = JSON.parse(review.dataset.answers);
        for (const [id, q] of questions) writeAnswer(q, last[id]);
        for (const s of steps) {
          const note = s.querySelector(".still-true");
          note.querySelector("[data-last-date]").textContent = review.dataset.date;
          note.hidden = ![...s.querySelectorAll(".q")].some((q) => last[q.dataset.id] !== undefined);
        }
        nav.next.textContent = "Still true, next";
        refreshFollowUps();
      }
      review.hidden = true;
      show(shown()[0]);
    });
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const out = form.querySelector(".form-error");
    out.textContent = "";
    for (const q of questions.values()) clearError(q);
    try {
      const data = await api("POST", `/api/clients/${form.dataset.client}/intakes`, { answers: answers() });
      const box = document.getElementById("intake-result");
      const dec = box.querySelector("[data-decision]");
      dec.textContent = data.screening.decision;
      dec.className = "decision " + data.screening.decision;
      const ul = box.querySelector("[data-reasons]");
      ul.replaceChildren();
      for (const r of data.screening.reasons) ul.appendChild(el("li", {}, `${r.severity}: ${r.message}`));
      if (!data.screening.reasons.length) ul.appendChild(el("li", {}, "No screening rule stops or changes treatment."));
      box.hidden = false;
      box.scrollIntoView({ behavior: "smooth" });
    } catch (err) {
      const found = plainError(err.message, questions);
      const q = found.id && questions.get(found.id);
      if (!q) { out.textContent = err.message; return; }
      q.classList.add("has-error");
      const p = q.querySelector(".q-error");
      p.textContent = found.text;
      p.hidden = false;
      q.hidden = false;
      show(q.closest(".step"));
      q.scrollIntoView({ block: "center" });
      out.textContent = `Please check the answer to "${q.dataset.question}".`;
    }
  });

  show(steps[0]);
  refreshFollowUps();
}
