// Visit page: nothing typed is lost. Every action saves in place and only the parts of the page
// that changed are replaced; the SOAP note saves itself (and keeps a copy on this device while
// the server cannot be reached); leaving with unsaved input warns; signing saves the boxes first
// and shows what will be signed.
import { api } from "./forms.js";

const noteForm = document.querySelector("form[data-note]");
const visitId = noteForm?.dataset.visit || document.getElementById("save-drawing")?.dataset.visit;
const bodymap = document.querySelector("[data-bodymap]");
const SECTIONS = ["subjective", "objective", "assessment", "plan"];
const STORE_KEY = `myomap.visit.${visitId}.note`;
const SAVE_DELAY = 800;

let drawingDirty = false;

// -- parts of the page ------------------------------------------------------------------------
let refreshing = null;
let again = false;

async function refresh() {
  if (refreshing) { again = true; return refreshing; }
  refreshing = (async () => {
    do {
      again = false;
      const res = await fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!res.ok) break;
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      for (const part of doc.querySelectorAll("[data-part]")) {
        const here = document.querySelector(`[data-part="${part.dataset.part}"]`);
        if (here) here.replaceWith(document.adoptNode(part));
      }
    } while (again);
    document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
  })();
  try { await refreshing; } finally { refreshing = null; }
}

// -- undo after a one-tap action --------------------------------------------------------------
const toast = document.querySelector("[data-toast]");
let toastTimer = null;
let undoUrl = null;

function offerUndo(text, url) {
  if (!toast) return;
  toast.querySelector("[data-toast-text]").textContent = text;
  undoUrl = url;
  toast.querySelector("[data-toast-undo]").hidden = !url;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, 10000);
}

toast?.querySelector("[data-toast-undo]").addEventListener("click", async () => {
  if (!undoUrl) return;
  const url = undoUrl;
  undoUrl = null;
  try {
    await api("DELETE", url);
    offerUndo("Undone.", null);
    await refresh();
    reRank();
  } catch (err) {
    offerUndo(err.message, null);
  }
});

function reRank() {
  bodymap?.bodymap?.setFindings(currentFindings());
}

function currentFindings() {
  // The findings table is the record: rebuild the differential's findings from it.
  const raw = document.getElementById("bm-findings-live");
  return raw ? JSON.parse(raw.textContent) : undefined;
}

document.addEventListener("page:changed", async (ev) => {
  const { data, source } = ev.detail;
  const kind = source.dataset.undo;
  if (kind && data && data.id) {
    offerUndo(kind === "treatments" ? "Treatment charted." : "Charted.", `/api/visits/${visitId}/${kind}/${data.id}`);
  } else if (data && Array.isArray(data.items)) {
    offerUndo(`${data.items.length} treatment${data.items.length === 1 ? "" : "s"} charted.`, null);
  } else {
    offerUndo("Saved.", null);
  }
  await refresh();
});

document.addEventListener("visit:changed", async (ev) => {
  const d = ev.detail || {};
  if (d.kind && d.id) offerUndo(d.text || "Finding recorded.", `/api/visits/${visitId}/${d.kind}/${d.id}`);
  await refresh();
});

document.addEventListener("click", async (ev) => {
  const button = ev.target.closest("button[data-delete]");
  if (!button || button.disabled) return;
  button.disabled = true;
  try {
    await api("DELETE", button.dataset.delete);
    offerUndo("Removed.", null);
    await refresh();
    if (button.dataset.delete.includes("/findings/")) reRank();
  } catch (err) {
    button.disabled = false;
    offerUndo(err.message, null);
  }
});

// -- the drawing -------------------------------------------------------------------------------
const saveDrawing = document.getElementById("save-drawing");
const drawingState = document.querySelector("[data-drawing-state]");
if (bodymap && saveDrawing) {
  if (document.querySelector("[data-offered]")) {
    drawingState.textContent = "Not saved to this visit yet.";
  }
  bodymap.addEventListener("bodymap:change", () => {
    drawingDirty = true;
    drawingState.textContent = "Unsaved changes to the drawing.";
  });
  saveDrawing.addEventListener("click", async () => {
    const out = saveDrawing.parentElement.querySelector(".form-error");
    out.textContent = "";
    saveDrawing.disabled = true;
    try {
      await api("POST", `/api/visits/${visitId}/drawings`, { drawing: bodymap.bodymap.drawing() });
      drawingDirty = false;
      drawingState.textContent = "Drawing saved.";
      document.querySelector("[data-offered]")?.remove();
      await refresh();
    } catch (err) {
      out.textContent = err.message;
    } finally {
      saveDrawing.disabled = false;
    }
  });
}

// -- the SOAP note -----------------------------------------------------------------------------
const noteState = document.querySelector("[data-note-state]");
let noteTimer = null;
let saving = null;
let lastSaved = null;

function noteValues() {
  const out = {};
  for (const name of SECTIONS) out[name] = noteForm.elements[name].value;
  return out;
}

const same = (a, b) => a && b && SECTIONS.every((k) => a[k] === b[k]);
const noteDirty = () => noteForm && !same(noteValues(), lastSaved);

function showState(text, cls) {
  noteState.textContent = text;
  noteState.className = "small note-state " + (cls || "");
}

async function saveNote() {
  clearTimeout(noteTimer);
  if (!noteDirty()) return true;
  if (saving) { await saving; return saveNote(); }
  const values = noteValues();
  showState("Saving…", "busy");
  saving = api("PUT", `/api/visits/${visitId}/note`, values);
  try {
    await saving;
    lastSaved = values;
    if (!noteDirty()) {
      localStorage.removeItem(STORE_KEY);
      const t = new Date();
      showState(`Saved at ${t.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`, "ok");
    }
    return true;
  } catch (err) {
    const offline = !navigator.onLine || err instanceof TypeError;
    showState(offline ? "Not saved: no connection. Kept on this device; saving again when back online."
      : `Not saved: ${err.message}`, "bad");
    clearTimeout(noteTimer);
    noteTimer = setTimeout(saveNote, 10000);
    return false;
  } finally {
    saving = null;
  }
}

if (noteForm) {
  lastSaved = noteValues();
  const kept = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
  if (kept && kept.values && !same(kept.values, lastSaved)) {
    for (const name of SECTIONS) {
      if (typeof kept.values[name] === "string") noteForm.elements[name].value = kept.values[name];
    }
    showState("Restored text typed on this device that had not reached the server; saving…", "busy");
    noteTimer = setTimeout(saveNote, 50);
  } else {
    localStorage.removeItem(STORE_KEY);
  }
  noteForm.addEventListener("input", () => {
    localStorage.setItem(STORE_KEY, JSON.stringify({ values: noteValues(), at: Date.now() }));
    showState("Not saved yet…", "busy");
    clearTimeout(noteTimer);
    noteTimer = setTimeout(saveNote, SAVE_DELAY);
  });
  noteForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    saveNote();
  });
  window.addEventListener("online", () => { if (noteDirty()) saveNote(); });
}

// Printing shows the text as it is in the boxes, saved or not.
function syncPrint() {
  if (!noteForm) return;
  for (const name of SECTIONS) {
    const out = document.querySelector(`[data-print-section="${name}"]`);
    if (out) out.textContent = noteForm.elements[name].value;
  }
}
window.addEventListener("beforeprint", syncPrint);
noteForm?.addEventListener("input", syncPrint);
syncPrint();

// -- leaving the page ------------------------------------------------------------------------
function typedButNotSent() {
  return [...document.querySelectorAll("form[data-inplace] input:not([type=hidden])")]
    .some((i) => i.value.trim() !== "");
}

window.addEventListener("beforeunload", (ev) => {
  if (noteDirty() || drawingDirty || typedButNotSent()) {
    if (noteDirty()) saveNote();
    ev.preventDefault();
    ev.returnValue = "";
  }
});

// -- signing -----------------------------------------------------------------------------------
const sign = document.getElementById("sign");
const dialog = document.getElementById("sign-dialog");
if (sign && dialog) {
  const errorOut = document.querySelector("[data-sign-error]");
  sign.addEventListener("click", async () => {
    errorOut.textContent = "";
    if (noteForm && !(await saveNote())) {
      errorOut.textContent = "The note could not be saved, so it was not signed. Try again when the connection is back.";
      return;
    }
    if (drawingDirty) {
      errorOut.textContent = "The drawing has unsaved changes: save it or undo them before signing.";
      return;
    }
    const dl = dialog.querySelector("[data-sign-summary]");
    dl.replaceChildren();
    const values = noteForm ? noteValues() : {};
    for (const name of SECTIONS) {
      const dt = document.createElement("dt");
      dt.textContent = name[0].toUpperCase() + name.slice(1);
      const dd = document.createElement("dd");
      dd.textContent = (values[name] || "").trim() || "(empty)";
      dd.dataset.section = name;
      dl.append(dt, dd);
    }
    const counts = [["Findings", "[data-part=findings] tr td:first-child:not(.muted)"],
      ["Treatments", "[data-part=treatments] li:not(.muted)"]];
    for (const [label, sel] of counts) {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.textContent = String(document.querySelectorAll(sel).length);
      dl.append(dt, dd);
    }
    dialog.showModal();
  });
  dialog.querySelector("[data-sign-cancel]").addEventListener("click", () => dialog.close());
  dialog.querySelector("[data-sign-confirm]").addEventListener("click", async (ev) => {
    const button = ev.currentTarget;
    button.disabled = true;
    try {
      if (noteForm && !(await saveNote())) throw new Error("The note could not be saved.");
      await api("POST", `/api/visits/${visitId}/sign`, { confirm: true });
      lastSaved = noteForm ? noteValues() : null;
      localStorage.removeItem(STORE_KEY);
      window.location.reload();
    } catch (err) {
      dialog.close();
      errorOut.textContent = err.message;
      button.disabled = false;
    }
  });
}
