// Visit page: save the current drawing to the visit, then reload so the plan follows it.
import { api } from "./forms.js";

const button = document.getElementById("save-drawing");
if (button) {
  button.addEventListener("click", async () => {
    const root = document.querySelector("[data-bodymap]");
    const out = button.parentElement.querySelector(".form-error");
    out.textContent = "";
    button.disabled = true;
    try {
      await api("POST", `/api/visits/${button.dataset.visit}/drawings`, { drawing: root.bodymap.drawing() });
      window.location.reload();
    } catch (err) {
      out.textContent = err.message;
      button.disabled = false;
    }
  });
}
