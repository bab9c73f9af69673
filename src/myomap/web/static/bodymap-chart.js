// The body chart's hands-on parts, shared by every page that lets someone tap the chart (the
// body map, the visit page, the intake's region questions): regions as keyboard buttons in
// head-to-foot order, readable side captions, taps that reach small regions, and a list of
// nearby regions by name where small regions crowd.
import { el } from "./forms.js";

const SVGNS = "http://www.w3.org/2000/svg";

// Each region a focusable toggle named by its label; keyboard order follows the body, head to
// foot and across, not the ids' alphabet. Returns the region paths by id.
export function prepareRegions(svg, labelOf) {
  const regionEls = {};
  svg.querySelectorAll("path.region").forEach((p) => {
    regionEls[p.id] = p;
    p.setAttribute("tabindex", "0");
    p.setAttribute("role", "button");
    p.setAttribute("aria-label", labelOf(p.id));
    p.setAttribute("aria-pressed", "false");
  });
  svg.querySelectorAll("g.regions").forEach((g) => {
    const paths = [...g.querySelectorAll("path.region")].map((p) => {
      const b = p.getBBox();
      return { p, row: Math.round((b.y + b.height / 2) / 24), x: b.x + b.width / 2 };
    });
    paths.sort((a, b) => a.row - b.row || a.x - b.x);
    for (const { p } of paths) g.appendChild(p);
  });
  return regionEls;
}

// "Patient's right / left" on two lines, large enough to read at a glance.
export function splitSideNotes(svg) {
  svg.querySelectorAll("text.side-note").forEach((t) => {
    const [first, ...rest] = t.textContent.split(" ");
    t.textContent = "";
    const x = t.getAttribute("x");
    for (const [i, word] of [first, rest.join(" ")].entries()) {
      const span = document.createElementNS(SVGNS, "tspan");
      span.setAttribute("x", x);
      if (i) span.setAttribute("dy", "1.1em");
      span.textContent = word;
      t.appendChild(span);
    }
    t.setAttribute("y", String(Number(t.getAttribute("y")) - 22));
  });
}

// A fingertip is wider than the jaw joint or a finger on the chart, so a tap does not simply
// take the region under it. Every region near the tap is a candidate, and the one whose middle
// is nearest, measured in its own half-size, wins: a tap 6 px off a 5 px region still reaches
// it, while a tap well inside a big region stays there. Big regions are candidates only when
// the tap is on them. Where small regions crowd (face, hands, feet) a tap can fall between
// several: then ``tapChoices`` offers the nearby regions instead of guessing.
const REACH = 10;     // px around a small region's box in which it is a candidate
const SMALL = 30;     // px: regions smaller than this reach out; bigger ones only under the finger
const MIN_HALF = 6;   // px: the smallest half-size a region is measured in
const AMBIGUOUS = 1.8;

// opts.reach and opts.small widen the targets for a page meant for fingertips only (the
// client's own pages); staff pages keep the defaults.
export function hitTester(regionEls, opts = {}) {
  const reach = opts.reach ?? REACH;
  const smallest = opts.small ?? SMALL;
  const aims = new Map();
  function aimOf(p) {
    // a point inside the region, as near to the middle of its box as the shape allows
    let aim = aims.get(p);
    if (aim) return aim;
    const box = p.getBBox();
    let bestD = Infinity;
    for (let i = 0; i <= 12; i++) {
      for (let j = 0; j <= 12; j++) {
        const pt = new DOMPoint(box.x + box.width * i / 12, box.y + box.height * j / 12);
        const d = Math.hypot(i - 6, j - 6);
        if (d < bestD && p.isPointInFill(pt)) { bestD = d; aim = pt; }
      }
    }
    aim = aim || new DOMPoint(box.x + box.width / 2, box.y + box.height / 2);
    aims.set(p, aim);
    return aim;
  }
  function candidates(x, y) {
    const under = document.elementFromPoint(x, y)?.closest?.("path.region") || null;
    const found = [];
    for (const p of Object.values(regionEls)) {
      const r = p.getBoundingClientRect();
      if (!r.width || x < r.left - reach || x > r.right + reach || y < r.top - reach || y > r.bottom + reach) continue;
      const small = Math.max(r.width, r.height) < smallest;
      if (p !== under && !small) continue;
      const a = aimOf(p).matrixTransform(p.getScreenCTM());
      found.push({ p, small, score: Math.hypot(a.x - x, a.y - y) / Math.max(Math.max(r.width, r.height) / 2, MIN_HALF) });
    }
    return found.sort((m, n) => m.score - n.score);
  }
  const regionAt = (x, y) => candidates(x, y)[0]?.p || null;
  function tapChoices(x, y) {
    const c = candidates(x, y);
    if (c.length > 1 && c[0].small && c[1].small && c[1].score < AMBIGUOUS * Math.max(c[0].score, 0.35)) {
      return { choices: c.filter((m) => m.small && m.score < AMBIGUOUS * Math.max(c[0].score, 0.35) + 0.5).slice(0, 5).map((m) => m.p.id) };
    }
    return { pick: c[0]?.p.id || null };
  }
  return { regionAt, tapChoices };
}

// "Which one?": the crowded regions near a tap as big buttons, appended to ``host``.
export function regionPicker(host, labelOf, onPick) {
  const picker = el("div", { class: "bm-picker", role: "dialog", "aria-label": "Which region?", hidden: true });
  host.appendChild(picker);
  function close() { picker.hidden = true; picker.replaceChildren(); }
  function open(ids, x, y) {
    picker.replaceChildren(el("p", { class: "bm-picker-title" }, "Which one?"));
    for (const id of ids) {
      const b = el("button", { type: "button", "data-pick": id }, labelOf(id));
      b.addEventListener("click", () => { close(); onPick(id); });
      picker.appendChild(b);
    }
    const cancel = el("button", { type: "button", class: "link" }, "Cancel");
    cancel.addEventListener("click", close);
    picker.appendChild(cancel);
    picker.hidden = false;
    const w = picker.offsetWidth;
    const h = picker.offsetHeight;
    picker.style.left = `${Math.max(4, Math.min(window.innerWidth - w - 4, x - w / 2))}px`;
    picker.style.top = `${y + 24 + h < window.innerHeight ? y + 24 : Math.max(4, y - h - 24)}px`;
    picker.querySelector("button").focus();
  }
  picker.addEventListener("keydown", (ev) => { if (ev.key === "Escape") close(); });
  return { open, close };
}

// A tap on the chart (mouse, finger or pen) goes to the region it is meant for, or opens the
// list of crowded regions; Enter or Space on a focused region toggles it.
export function onRegionTap(svg, hits, picker, toggle, active = () => true) {
  svg.addEventListener("click", (ev) => {
    if (!active()) return;
    if (ev.detail === 0) {
      const p = ev.target.closest("path.region");
      if (p) toggle(p.id);
      return;
    }
    const t = hits.tapChoices(ev.clientX, ev.clientY);
    if (t.choices) picker.open(t.choices, ev.clientX, ev.clientY);
    else if (t.pick) { picker.close(); toggle(t.pick); }
  });
  svg.addEventListener("keydown", (ev) => {
    const p = ev.target.closest("path.region");
    if (p && (ev.key === "Enter" || ev.key === " ")) {
      ev.preventDefault();
      toggle(p.id);
    }
  });
}

// Front, back or both views: on a phone one view at a time leaves bigger targets.
const VIEWBOX = { front: "0 0 400 1040", back: "400 0 400 1040", both: "0 0 800 1040" };
export function showView(svg, v) {
  svg.setAttribute("viewBox", VIEWBOX[v]);
  // the element is wider than one view: hide the other view so nothing peeks in at the side
  svg.querySelectorAll("g.view").forEach((g) => { g.style.display = v === "both" || v === g.dataset.view ? "" : "none"; });
  const sep = svg.querySelector(".separator");
  if (sep) sep.style.display = v === "both" ? "" : "none";
}
