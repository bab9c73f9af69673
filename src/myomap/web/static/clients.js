// Clients page: warn before adding a client whose name (and year of birth, when given) is
// already in the list, so the front desk does not register the same person twice.
const form = document.querySelector("form[data-duplicates]");
if (form) {
  const name = form.elements.display_name;
  const born = form.elements.birth_year;
  const out = form.querySelector("[data-duplicate-warning]");
  const norm = (s) => s.trim().toLowerCase().replace(/\s+/g, " ");
  const check = () => {
    const key = norm(name.value);
    const year = born.value.trim();
    const same = key.length < 3 ? [] : [...document.querySelectorAll("#client-rows tr[data-name]")]
      .filter((tr) => tr.dataset.name === key && (!year || !tr.dataset.born || tr.dataset.born === year));
    out.hidden = same.length === 0;
    out.textContent = same.length
      ? `${same.length === 1 ? "A client" : `${same.length} clients`} with this name ${same.length === 1 ? "is" : "are"} already in the list${year ? ` (born ${year})` : ""}. Check it is not the same person before adding.`
      : "";
  };
  name.addEventListener("input", check);
  born.addEventListener("input", check);
}
