// Intake form: answers typed by question (yes/no, numbers, choices, region lists) and sent to
// the screening API; the decision and every reason are shown, warnings first.
import { api, el } from "./forms.js";

const form = document.getElementById("intake-form");
if (form) {
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const answers = {};
    for (const input of form.querySelectorAll("[name]")) {
      if (input.name === "csrf_token") continue;
      const raw = input.value.trim();
      if (raw === "") continue;
      const t = input.dataset.type;
      if (t === "bool") answers[input.name] = raw === "yes";
      else if (t === "int") answers[input.name] = Number.parseInt(raw, 10);
      else if (t === "float") answers[input.name] = Number(raw.replace(",", "."));
      else if (t === "regions") answers[input.name] = raw.split(/[,;]+/).map((x) => x.trim()).filter(Boolean);
      else answers[input.name] = raw;
    }
    const out = form.querySelector(".form-error");
    out.textContent = "";
    try {
      const data = await api("POST", `/api/clients/${form.dataset.client}/intakes`, { answers });
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
      out.textContent = err.message;
    }
  });
}
