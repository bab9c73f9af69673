// Staff page for a client's own link: create one (shown once, with its QR code) or withdraw all.
import { api } from "/static/forms.js";

const form = document.getElementById("link-form");
if (form) {
  const id = form.dataset.client;
  const out = document.getElementById("link-result");
  const error = document.querySelector(".form-error");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    try {
      const res = await api("POST", `/api/clients/${id}/link`, {
        days: Number.parseInt(form.elements.days.value, 10),
        check_birth_year: form.elements.check_birth_year.checked,
      });
      out.hidden = false;
      out.querySelector("[data-url]").value = res.url;
      out.querySelector("[data-qr]").src = res.qr;
    } catch (e) {
      error.textContent = e.message;
    }
  });
  form.querySelector("[data-revoke]").addEventListener("click", async () => {
    if (!window.confirm("Withdraw every link of this client? Their open pages stop working.")) return;
    try {
      const res = await api("DELETE", `/api/clients/${id}/link`);
      out.hidden = true;
      error.textContent = `${res.revoked} link(s) withdrawn.`;
    } catch (e) {
      error.textContent = e.message;
    }
  });
}
