// Region questions of the intake answered on the body chart: one chart, opened under the
// question being answered, where each tap adds or takes away a region of that question's answer.
// Taps reach small regions and crowded ones are offered by name, as on the body map page
// (bodymap-chart.js); the typed list under each question stays as the fallback.
import { hitTester, onRegionTap, prepareRegions, regionPicker, showView, splitSideNotes } from "./bodymap-chart.js";

// ``chosen(q)`` lists the region ids of question ``q``; ``toggle(q, id)`` adds or removes one.
export function regionMap(box, labelOf, { chosen, toggle }) {
  const svg = box.querySelector("svg.chart");
  let current = null;
  let regionEls = null;
  let picker = null;
  const observer = new MutationObserver(() => paint());

  function setView(v) {
    showView(svg, v);
    box.querySelectorAll("button[data-show]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.show === v)));
  }
  box.querySelectorAll("button[data-show]").forEach((b) => b.addEventListener("click", () => setView(b.dataset.show)));

  // Laid out only once shown: the regions' order and tap targets are measured on the screen.
  function prepare() {
    regionEls = prepareRegions(svg, labelOf);
    splitSideNotes(svg);
    const hits = hitTester(regionEls);
    const pick = (id) => { if (current) toggle(current, id); };
    picker = regionPicker(box, labelOf, pick);
    onRegionTap(svg, hits, picker, pick);
  }

  function paint() {
    const ids = new Set(current ? chosen(current) : []);
    for (const [id, p] of Object.entries(regionEls || {})) p.setAttribute("aria-pressed", String(ids.has(id)));
    box.dataset.marked = String(ids.size);
  }

  function close() {
    if (!current) return;
    observer.disconnect();
    picker?.close();
    current.querySelector("[data-map]").setAttribute("aria-expanded", "false");
    current.querySelector("[data-map]").textContent = "Mark on the body map";
    box.hidden = true;
    current = null;
  }

  function open(q) {
    if (current === q) { close(); return; }
    close();
    current = q;
    q.querySelector("[data-map-slot]").appendChild(box);
    box.querySelector("[data-map-for]").textContent = q.dataset.question;
    box.hidden = false;
    if (!regionEls) {
      prepare();
      setView(window.matchMedia("(max-width: 600px)").matches ? "front" : "both");
    }
    const button = q.querySelector("[data-map]");
    button.setAttribute("aria-expanded", "true");
    button.textContent = "Close the body map";
    observer.observe(q.querySelector("[data-chips]"), { childList: true, subtree: true });
    paint();
    if (box.getBoundingClientRect().bottom > window.innerHeight) box.scrollIntoView({ block: "start" });
  }

  box.querySelector("[data-map-done]").addEventListener("click", () => {
    const q = current;
    close();
    q?.querySelector("[data-map]").focus();
  });
  return { open, close };
}
