// Measures as the instruments are: one questionnaire at a time with its own words and answer
// options, the total scored live by the server's own rules (a dry run that stores nothing), a
// confirmation naming the total and the visit, and no visit chosen for the therapist.
import { api } from "./forms.js";

const choice = document.getElementById("instrument-choice");
const visit = document.getElementById("visit-choice");
const forms = [...document.querySelectorAll("form.measure")];

function answers(form) {
  return [...form.querySelectorAll(".measure-item")].map((item) => {
    const input = item.querySelector("input:checked") || item.querySelector('input[type="number"]');
    if (!input || input.value.trim() === "") return null;
    const n = Number(input.value.replace(",", "."));
    return Number.isFinite(n) ? n : null;
  });
}

function visitText() {
  if (visit.value === "none") return "not linked to a visit";
  return visit.selectedOptions[0].textContent.replace(/^Visit/, "the visit");
}

async function scoreLive(form) {
  const given = answers(form);
  const out = form.querySelector("[data-total]");
  const answered = given.filter((v) => v !== null).length;
  form.querySelector("[data-confirm]").hidden = true;
  if (answered < given.length) {
    out.textContent = `Total: appears when every item is answered (${answered} of ${given.length} answered)`;
    delete form.dataset.total;
    return null;
  }
  try {
    const s = await api("POST", `/api/instruments/${form.dataset.instrument}/score`, { answers: given });
    out.textContent = `Total: ${s.total}${s.band ? ` (${s.band})` : ""}`;
    form.dataset.total = out.textContent;
    form.querySelector("[data-error]").textContent = "";
    return s;
  } catch (err) {
    out.textContent = "Total: none yet";
    delete form.dataset.total;
    form.querySelector("[data-error]").textContent = err.message;
    return null;
  }
}

function showChosen() {
  for (const f of forms) f.hidden = f.dataset.instrument !== choice.value;
}

if (choice && visit) {
  const wanted = new URLSearchParams(location.search).get("instrument");
  if (wanted && forms.some((f) => f.dataset.instrument === wanted)) choice.value = wanted;
  showChosen();
  choice.addEventListener("change", showChosen);
  visit.addEventListener("change", () => { document.querySelector("[data-visit-error]").textContent = ""; });
  for (const form of forms) {
    let timer = null;
    form.addEventListener("input", () => {
      form.querySelector("[data-saved]").textContent = "";
      form.querySelector("[data-undo-measure]").hidden = true;
      clearTimeout(timer);
      timer = setTimeout(() => scoreLive(form), 150);
    });
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const err = form.querySelector("[data-error]");
      err.textContent = "";
      if (!visit.value) {
        document.querySelector("[data-visit-error]").textContent = "Choose the visit these answers belong to, or “Not linked to a visit”.";
        visit.focus();
        return;
      }
      const s = await scoreLive(form);
      if (!s) {
        if (!err.textContent) err.textContent = "Answer every item before saving.";
        return;
      }
      const box = form.querySelector("[data-confirm]");
      box.querySelector("[data-summary]").textContent =
        `Save ${form.dataset.short} with total ${s.total}${s.band ? ` (${s.band})` : ""}, ${visitText()}?`;
      box.hidden = false;
      box.querySelector("[data-save]").focus();
    });
    form.addEventListener("click", async (ev) => {
      const btn = ev.target.closest("button");
      if (!btn) return;
      const box = form.querySelector("[data-confirm]");
      if ("undoMeasure" in btn.dataset) {
        btn.disabled = true;
        const said = form.querySelector("[data-saved]");
        try {
          await api("DELETE", btn.dataset.undoMeasure);
          said.textContent = `Removed the ${form.dataset.short} just saved; nothing of it is kept.`;
          btn.hidden = true;
        } catch (e) {
          form.querySelector("[data-error]").textContent = e.message;
        } finally {
          btn.disabled = false;
        }
      } else if ("back" in btn.dataset) {
        box.hidden = true;
        form.querySelector("input")?.focus();
      } else if ("save" in btn.dataset) {
        btn.disabled = true;
        const body = { instrument: form.dataset.instrument, answers: answers(form) };
        if (visit.value !== "none") body.visit_id = Number(visit.value);
        try {
          const saved = await api("POST", `/api/clients/${form.dataset.client}/measurements`, body);
          box.hidden = true;
          form.reset();
          form.querySelector("[data-total]").textContent = "Total: none yet";
          form.querySelector("[data-saved]").textContent =
            `Saved ${form.dataset.short}: total ${saved.total}${saved.band ? ` (${saved.band})` : ""}, ${visitText()}.`;
          // A measure on a draft visit can be taken back, as any other entry of a draft.
          const undo = form.querySelector("[data-undo-measure]");
          const draft = visit.selectedOptions[0]?.dataset.status === "draft";
          undo.hidden = !(draft && saved.visit_id);
          undo.dataset.undoMeasure = draft && saved.visit_id ? `/api/visits/${saved.visit_id}/measurements/${saved.id}` : "";
          if (draft && saved.visit_id) undo.setAttribute("aria-label", `Undo: remove the ${form.dataset.short} just saved`);
        } catch (e) {
          form.querySelector("[data-error]").textContent = e.message;
        } finally {
          btn.disabled = false;
        }
      }
    });
  }
}
