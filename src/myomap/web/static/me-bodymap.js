// The client's body map: the staff drawing module (bodymap.js) mounted without the ranking and
// with wider reach for a fingertip. On /me one map lives in a full-screen sheet that the intake
// and the diary each open for their own drawing ([data-draw-field]); the personal-mode page
// mounts it inline. A drawing that marks nothing counts as no drawing.
import { mountBodymap } from "./bodymap.js";

const TOUCH = { locate: false, reach: 16, small: 40 };

export function mountClientMap(root) {
  mountBodymap(root, TOUCH);
  const map = root.bodymap;
  const cfg = JSON.parse(document.getElementById("bm-config").textContent);
  const marked = root.querySelector("[data-me-marked]");
  const current = () => {
    const d = map.drawing();
    return d.areas.length ? d : null;
  };
  const show = () => { marked.textContent = describe(current(), cfg); };
  root.addEventListener("bodymap:change", show);
  show();
  return { current, load: (d) => { map.load(d); show(); }, setView: map.setView, cfg };
}

// In words: the places tapped (by the chart's own labels) and how many strokes were painted.
export function describe(d, cfg) {
  if (!d || !d.areas.length) return "Nothing marked yet.";
  const names = [];
  let strokes = 0;
  for (const a of d.areas) {
    for (const r of a.regions) names.push(cfg.regions[r]?.label || r);
    strokes += a.strokes.length;
  }
  const parts = [];
  if (names.length) parts.push(names.join(", "));
  if (strokes) parts.push(`${strokes} painted stroke${strokes === 1 ? "" : "s"}`);
  return `Marked: ${parts.join("; ")}.`;
}

// -- the sheet on /me ----------------------------------------------------------------------------

const drawings = new Map();

export function drawingOf(name) {
  return drawings.get(name) || null;
}

export function resetDrawing(name) {
  drawings.delete(name);
  const field = document.querySelector(`[data-draw-field="${name}"]`);
  if (field) showField(field, null);
}

let sheet = null;

function showField(field, d) {
  field.querySelector("[data-draw-summary]").textContent = describe(d, sheet.cfg);
  field.querySelector("[data-draw-open]").textContent = d ? "Change the drawing" : "Mark it on the body map";
  field.querySelector("[data-draw-remove]").hidden = !d;
}

const dialog = document.getElementById("me-draw");
if (dialog) {
  sheet = mountClientMap(dialog.querySelector("[data-me-bodymap]"));
  let open = null;
  for (const field of document.querySelectorAll("[data-draw-field]")) {
    showField(field, null);
    field.querySelector("[data-draw-open]").addEventListener("click", () => {
      open = field;
      sheet.load(drawings.get(field.dataset.drawField) || null);
      dialog.querySelector("[data-draw-for]").textContent = field.dataset.drawTitle || "";
      dialog.showModal();
    });
    field.querySelector("[data-draw-remove]").addEventListener("click", () => resetDrawing(field.dataset.drawField));
  }
  dialog.querySelector("[data-draw-done]").addEventListener("click", () => {
    if (open) {
      const d = sheet.current();
      if (d) drawings.set(open.dataset.drawField, d); else drawings.delete(open.dataset.drawField);
      showField(open, d);
      open.querySelector("[data-draw-open]").focus();
    }
    dialog.close();
  });
  dialog.querySelector("[data-draw-cancel]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => { open = null; });
  // Escape in the "Which one?" list closes the list only, not the whole sheet.
  dialog.addEventListener("keydown", (ev) => {
    const picker = dialog.querySelector(".bm-picker");
    if (ev.key === "Escape" && picker && !picker.hidden) ev.preventDefault();
  }, true);
}
