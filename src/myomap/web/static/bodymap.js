// Body map drawing and the live differential.
// Areas hold tapped regions and freehand strokes (chart coordinates of one view) with an
// intensity and quality each; every change is sent to /api/locate and the ranking redrawn.
// Staff pages mount it on [data-bodymap] at once; other pages call mountBodymap(root, options):
// { locate: false } draws without the ranking, { reach, small } widen the tap targets.
import { api, el } from "./forms.js";
import { hitTester, onRegionTap, prepareRegions, regionPicker, showView, splitSideNotes } from "./bodymap-chart.js";

const SVGNS = "http://www.w3.org/2000/svg";
const root = document.querySelector("[data-bodymap]");
if (root) mountBodymap(root);

export function mountBodymap(root, opts = {}) {
  const cfg = JSON.parse(document.getElementById("bm-config").textContent);
  const initial = JSON.parse(document.getElementById("bm-drawing").textContent || "null");
  const visitId = root.dataset.visit || null;
  const locked = root.dataset.locked === "true";
  const svg = root.querySelector("svg.chart");
  const views = {};
  svg.querySelectorAll("g.view").forEach((g) => {
    views[g.dataset.view] = g;
    const strokes = document.createElementNS(SVGNS, "g");
    strokes.setAttribute("class", "strokes");
    g.querySelector("g.regions").after(strokes);
    const overlay = document.createElementNS(SVGNS, "g");
    overlay.setAttribute("class", "overlay");
    g.appendChild(overlay);
  });
  const labelOf = (id) => cfg.regions[id]?.label || id;
  const regionEls = prepareRegions(svg, labelOf);
  splitSideNotes(svg);
  // The candidate's pattern is hatched in violet over the patient's own colours.
  const defs = svg.querySelector("defs") || svg.insertBefore(document.createElementNS(SVGNS, "defs"), svg.firstChild);
  defs.insertAdjacentHTML("beforeend",
    '<pattern id="hatch-ess" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#5b2a86" stroke-width="2.2"/></pattern>' +
    '<pattern id="hatch-spill" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">' +
    '<line x1="0" y1="0" x2="0" y2="8" stroke="#7e57c2" stroke-width="1.2"/></pattern>');
  let showPattern = true;

  let mode = "tap";
  let areas = [];
  let cur = 0;
  let history = [];
  let findings = JSON.parse(document.getElementById("bm-findings")?.textContent || "[]");
  let pinned = null;
  let timer = null;
  let inflight = null;

  const newArea = () => ({ regions: [], strokes: [], intensity: Number(intensityInput().value), quality: qualitySelect().value || null });
  const intensityInput = () => root.querySelector("[data-intensity]");
  const qualitySelect = () => root.querySelector("[data-quality]");

  for (const q of cfg.qualities) {
    qualitySelect().appendChild(el("option", { value: q }, q));
  }

  const fromDrawing = (d) => (d && Array.isArray(d.areas) && d.areas.length
    ? d.areas.map((a) => ({
      regions: [...(a.regions || [])],
      strokes: (a.strokes || []).map((s) => ({ view: s.view, points: s.points.map((p) => [p[0], p[1]]), width: s.width || 12 })),
      intensity: a.intensity ?? 5,
      quality: a.quality || null,
    }))
    : [newArea()]);
  areas = fromDrawing(initial);

  function snapshot() {
    history.push(JSON.stringify({ areas, cur }));
    if (history.length > 100) history.shift();
  }

  function areaOf(rid) {
    return areas.findIndex((a) => a.regions.includes(rid));
  }

  function toggleRegion(rid) {
    if (locked) return;
    snapshot();
    const at = areaOf(rid);
    if (at === cur) {
      areas[cur].regions = areas[cur].regions.filter((r) => r !== rid);
    } else {
      if (at >= 0) areas[at].regions = areas[at].regions.filter((r) => r !== rid);
      areas[cur].regions.push(rid);
    }
    changed(true);
  }

  function drawing() {
    const out = [];
    for (const a of areas) {
      if (!a.regions.length && !a.strokes.length) continue;
      const area = { regions: a.regions, strokes: a.strokes, intensity: a.intensity };
      if (a.quality) area.quality = a.quality;
      out.push(area);
    }
    return { format: "myomap.drawing/1", areas: out };
  }

  function paint() {
    for (const [rid, p] of Object.entries(regionEls)) {
      const at = areaOf(rid);
      if (at >= 0) {
        p.style.fill = cfg.colours[areas[at].intensity];
        p.style.fillOpacity = "0.9";
        p.setAttribute("aria-pressed", "true");
        p.classList.toggle("current", at === cur);
      } else {
        p.style.fill = "";
        p.style.fillOpacity = "";
        p.setAttribute("aria-pressed", "false");
        p.classList.remove("current");
      }
    }
    for (const g of Object.values(views)) g.querySelector("g.strokes").replaceChildren();
    areas.forEach((a, i) => {
      for (const s of a.strokes) addStrokeEl(s, cfg.colours[a.intensity], i === cur);
    });
    const list = root.querySelector("[data-areas]");
    list.replaceChildren();
    areas.forEach((a, i) => {
      const n = a.regions.length + a.strokes.length;
      const b = el("button", { type: "button", class: "chip" + (i === cur ? " on" : ""), "aria-pressed": String(i === cur) },
        el("span", { class: "swatch", style: `background:${cfg.colours[a.intensity]}` }),
        `Area ${i + 1}: ${a.intensity}/10${a.quality ? " " + a.quality : ""}${n ? "" : " (empty)"}`);
      b.addEventListener("click", () => { cur = i; syncControls(); paint(); });
      list.appendChild(b);
    });
  }

  function addStrokeEl(s, colour, current) {
    const g = views[s.view];
    if (!g) return null;
    const line = document.createElementNS(SVGNS, "polyline");
    line.setAttribute("points", s.points.map((p) => p.join(",")).join(" "));
    line.setAttribute("class", "stroke" + (current ? " current" : ""));
    line.setAttribute("stroke", colour);
    line.setAttribute("stroke-width", s.width);
    g.querySelector("g.strokes").appendChild(line);
    return line;
  }

  function syncControls() {
    const a = areas[cur];
    intensityInput().value = a.intensity;
    root.querySelector("[data-intensity-out]").textContent = a.intensity;
    qualitySelect().value = a.quality || "";
  }

  // A tap asks at once (a newer request aborts the older one); slider and list changes, which
  // come in bursts, wait a moment.
  function changed(now = false) {
    paint();
    if (now) { clearTimeout(timer); runLocate(); } else schedule();
    root.dispatchEvent(new CustomEvent("bodymap:change", { detail: drawing() }));
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(runLocate, 180);
  }

  async function runLocate() {
    if (opts.locate === false) return;
    const d = drawing();
    const status = root.querySelector("[data-status]");
    if (!d.areas.length) {
      render({ candidates: [], warnings: [] });
      status.textContent = "Mark where it hurts to see the trigger points that most often refer pain there.";
      return;
    }
    if (inflight) inflight.abort();
    inflight = new AbortController();
    status.textContent = "Updating…";
    try {
      const data = await api("POST", "/api/locate", { drawing: d, findings, top: 10 }, inflight.signal);
      render(data);
      status.textContent = data.candidates.length
        ? `Ranked for ${data.regions.length} marked region${data.regions.length === 1 ? "" : "s"}. Hover or tap a candidate to see its pattern.`
        : "No trigger point in the atlas refers pain to these regions.";
    } catch (err) {
      if (err.name === "AbortError") return;
      status.textContent = err.message;
    }
  }

  function render(data) {
    const warn = root.querySelector("[data-warnings]");
    warn.replaceChildren();
    for (const w of data.warnings || []) {
      warn.appendChild(el("div", { class: "warning", role: "alert" },
        el("strong", {}, `Safety: ${w.organ} — check before any muscle work`),
        el("p", {}, w.message)));
    }
    const ol = root.querySelector("[data-candidates]");
    ol.replaceChildren();
    clearOverlay();
    pinned = null;
    for (const c of data.candidates || []) {
      const pct = Math.round(c.probability * 1000) / 10;
      const li = el("li", { class: "cand", tabindex: "0", "data-trp": c.trigger_point, "data-side": c.side },
        el("div", { class: "cand-head" },
          el("span", { class: "rank" }, String(c.rank)),
          el("span", { class: "cand-name" }, `${c.muscle_name}`,
            el("small", {}, ` ${c.trp_name} · ${c.side}`)),
          el("span", { class: "pct" }, `${pct}%`)),
        el("div", { class: "bar" }, el("span", { style: `width:${Math.max(2, pct)}%` })),
        el("p", { class: "why" }, c.why_text || c.why));
      if (visitId && !locked) {
        const acts = el("div", { class: "cand-acts" },
          el("button", { type: "button", class: "small ok", "data-finding": "confirmed" }, "Confirmed"),
          el("button", { type: "button", class: "small", "data-finding": "absent" }, "Absent"));
        acts.addEventListener("click", (ev) => {
          const b = ev.target.closest("button[data-finding]");
          if (b) recordFinding(c, b.dataset.finding, li, b);
        });
        li.appendChild(acts);
      }
      li.addEventListener("mouseenter", () => { if (!pinned) showOverlay(c); });
      li.addEventListener("mouseleave", () => { if (!pinned) clearOverlay(); });
      li.addEventListener("focus", () => showOverlay(c));
      li.addEventListener("click", (ev) => {
        if (ev.target.closest("button")) return;
        pinned = pinned === c ? null : c;
        root.querySelectorAll(".cand.pinned").forEach((x) => x.classList.remove("pinned"));
        if (pinned) { li.classList.add("pinned"); showOverlay(c); } else clearOverlay();
      });
      li.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); li.click(); }
      });
      ol.appendChild(li);
    }
    const summary = root.querySelector("[data-summary]");
    const top = (data.candidates || []).slice(0, 3);
    summary.hidden = top.length === 0;
    summary.querySelector("[data-summary-text]").textContent = top
      .map((c) => `${c.muscle_name} ${Math.round(c.probability * 100)}%`).join(" · ");
    root.dataset.updates = String(Number(root.dataset.updates || 0) + 1);
    root.dispatchEvent(new CustomEvent("bodymap:ranking", { detail: data }));
  }

  async function recordFinding(c, result, li, button) {
    const side = c.side === "midline" ? "midline" : c.side;
    if (button.disabled) return;
    button.disabled = true;
    try {
      const saved = await api("POST", `/api/visits/${visitId}/findings`, { trp: c.trigger_point, side, result });
      const label = side === "midline" ? `${c.trigger_point}=${result}` : `${c.trigger_point}:${side}=${result}`;
      findings = findings.filter((f) => !f.startsWith(c.trigger_point + (side === "midline" ? "=" : `:${side}=`)));
      findings.push(label);
      li.classList.add(result === "confirmed" ? "is-confirmed" : "is-absent");
      document.dispatchEvent(new CustomEvent("visit:changed", {
        detail: { kind: "findings", id: saved?.id, text: `${c.muscle_name}: ${result}.` } }));
      schedule();
    } catch (err) {
      li.appendChild(el("p", { class: "error-text" }, err.message));
    } finally {
      button.disabled = false;
    }
  }

  function clearOverlay() {
    svg.querySelectorAll(".ov-ess, .ov-spill").forEach((p) => p.classList.remove("ov-ess", "ov-spill"));
    for (const g of Object.values(views)) g.querySelector("g.overlay").replaceChildren();
  }

  function showOverlay(c) {
    clearOverlay();
    if (!showPattern) return;
    for (const [cls, ids] of [["ov-spill", c.zones.spillover], ["ov-ess", c.zones.essential]]) {
      for (const rid of ids) {
        const p = regionEls[rid];
        if (!p) continue;
        p.classList.add(cls);
        const copy = document.createElementNS(SVGNS, "path");
        copy.setAttribute("d", p.getAttribute("d"));
        copy.setAttribute("class", "hatch " + cls);
        p.closest("g.view").querySelector("g.overlay").appendChild(copy);
      }
    }
    const g = views[c.mark.view];
    if (!g) return;
    if (g.style.display === "none") setView(c.mark.view);  // show the pattern where the eye is
    const { x, y } = c.mark;
    const s = 8;
    const d = `M${x - s} ${y - s}L${x + s} ${y + s}M${x - s} ${y + s}L${x + s} ${y - s}`;
    const layer = g.querySelector("g.overlay");
    for (const [cls, w] of [["mark-halo", 6], ["mark-x", 3]]) {
      const p = document.createElementNS(SVGNS, "path");
      p.setAttribute("d", d);
      p.setAttribute("class", cls);
      p.setAttribute("stroke-width", w);
      layer.appendChild(p);
    }
  }

  // -- input -------------------------------------------------------------------------------
  const hits = hitTester(regionEls, { reach: opts.reach, small: opts.small });
  const { regionAt, tapChoices } = hits;
  const picker = regionPicker(root, labelOf, (id) => toggleRegion(id));
  onRegionTap(svg, hits, picker, (id) => toggleRegion(id), () => mode === "tap");

  let live = null;
  function chartPoint(ev, g) {
    const m = g.getScreenCTM().inverse();
    const pt = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m);
    return [Math.round(pt.x * 10) / 10, Math.round(pt.y * 10) / 10];
  }
  svg.addEventListener("pointerdown", (ev) => {
    if (mode !== "draw" || locked) return;
    const g = ev.target.closest("g.view");
    if (!g) return;
    ev.preventDefault();
    svg.setPointerCapture(ev.pointerId);
    const stroke = { view: g.dataset.view, points: [chartPoint(ev, g)], width: ev.pointerType === "touch" ? 16 : 12 };
    live = { stroke, g, line: addStrokeEl(stroke, cfg.colours[areas[cur].intensity], true), id: ev.pointerId };
  });
  svg.addEventListener("pointermove", (ev) => {
    if (!live || ev.pointerId !== live.id) return;
    const pt = chartPoint(ev, live.g);
    const last = live.stroke.points[live.stroke.points.length - 1];
    if (Math.hypot(pt[0] - last[0], pt[1] - last[1]) < 2) return;
    live.stroke.points.push(pt);
    live.line.setAttribute("points", live.stroke.points.map((p) => p.join(",")).join(" "));
  });
  const finish = (ev) => {
    if (!live || ev.pointerId !== live.id) return;
    const stroke = live.stroke;
    live = null;
    snapshot();
    areas[cur].strokes.push(stroke);
    changed(true);
  };
  svg.addEventListener("pointerup", finish);
  svg.addEventListener("pointercancel", finish);

  root.querySelectorAll("[data-mode]").forEach((b) => b.addEventListener("click", () => {
    mode = b.dataset.mode;
    root.querySelectorAll("[data-mode]").forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
    svg.classList.toggle("drawing", mode === "draw");
  }));
  intensityInput().addEventListener("input", () => {
    root.querySelector("[data-intensity-out]").textContent = intensityInput().value;
  });
  intensityInput().addEventListener("change", () => {
    snapshot();
    areas[cur].intensity = Number(intensityInput().value);
    changed();
  });
  qualitySelect().addEventListener("change", () => {
    snapshot();
    areas[cur].quality = qualitySelect().value || null;
    changed();
  });
  root.querySelector("[data-action=new-area]").addEventListener("click", () => {
    if (!areas[cur].regions.length && !areas[cur].strokes.length) return;
    snapshot();
    areas.push(newArea());
    cur = areas.length - 1;
    syncControls();
    paint();
  });
  root.querySelector("[data-action=mirror]").addEventListener("click", () => {
    const a = areas[cur];
    if (!a.regions.length && !a.strokes.length) return;
    snapshot();
    for (const rid of [...a.regions]) {
      const m = cfg.regions[rid]?.mirror;
      if (m && areaOf(m) < 0) a.regions.push(m);
    }
    for (const s of [...a.strokes]) {
      a.strokes.push({ ...s, points: s.points.map(([x, y]) => [Math.round((cfg.viewWidth - x) * 10) / 10, y]) });
    }
    changed();
  });
  root.querySelector("[data-action=undo]").addEventListener("click", () => {
    const last = history.pop();
    if (!last) return;
    ({ areas, cur } = JSON.parse(last));
    syncControls();
    changed();
  });
  root.querySelector("[data-action=clear]").addEventListener("click", () => {
    snapshot();
    areas = [newArea()];
    cur = 0;
    changed();
  });

  // Front, back or both views: on a phone one view at a time leaves bigger targets.
  function setView(v) {
    showView(svg, v);
    root.querySelectorAll("button[data-show]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.show === v)));
  }
  root.querySelectorAll("button[data-show]").forEach((b) => b.addEventListener("click", () => setView(b.dataset.show)));
  setView(window.matchMedia("(max-width: 600px)").matches ? "front" : "both");

  // The room under the chart's top, for pages whose stylesheet sizes the chart to fit the screen
  // (app.css on a landscape tablet); a page without such a rule ignores it.
  function fit() {
    const top = svg.getBoundingClientRect().top + window.scrollY;
    root.style.setProperty("--bm-fit", `${Math.floor(window.innerHeight - top - 2)}px`);
  }
  fit();
  window.addEventListener("resize", fit);

  root.querySelector("[data-show-pattern]")?.addEventListener("change", (ev) => {
    showPattern = ev.target.checked;
    if (!showPattern) clearOverlay();
    else if (pinned) showOverlay(pinned);
  });
  document.addEventListener("visit:findings", (ev) => { findings = ev.detail; schedule(); });
  // load: show another drawing (or a blank map) in place of this one, with a fresh undo history.
  const load = (d) => { areas = fromDrawing(d); cur = 0; history = []; syncControls(); changed(true); };
  root.bodymap = { drawing, load, setView, regionAt, tapChoices, setFindings: (f) => { if (f) findings = f; schedule(); } };
  syncControls();
  paint();
  if (drawing().areas.length) schedule();
  if (locked) root.classList.add("locked");
}
