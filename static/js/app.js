// Small progressive enhancements; every page works without them.

function setUpNavToggle() {
  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("site-nav");
  if (!toggle || !nav) return;
  toggle.addEventListener("click", () => {
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
}

function setUpAutosubmit() {
  // The language menu submits itself on change; its button stays for keyboard and no-JS users.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
}

function setUpGrowingFieldsets() {
  // A fieldset of repeated rows (agenda items, poll proposals) shows its filled rows and one empty
  // one; "Tilføj …" reveals the next. The server renders every row, so without script all show.
  for (const fieldset of document.querySelectorAll("fieldset[data-grow]")) {
    const waiting = [...fieldset.querySelectorAll("[data-grow-row]")];
    if (!waiting.length) continue;
    for (const row of waiting) row.hidden = true;
    const add = document.createElement("button");
    add.type = "button";
    add.className = "button button-quiet button-small";
    add.textContent = fieldset.dataset.growLabel;
    add.addEventListener("click", () => {
      const next = waiting.shift();
      next.hidden = false;
      next.querySelector("input, select, textarea")?.focus();
      if (!waiting.length) add.remove();
    });
    fieldset.append(add);
  }
}

setUpNavToggle();
setUpAutosubmit();
setUpGrowingFieldsets();
