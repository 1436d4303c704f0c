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

function setUpConfirmations() {
  // A form with data-confirm asks in a <dialog> before it is sent; yes adds confirmed=1. Without
  // script (or <dialog>), the server asks on a page of its own instead (network/web.py).
  const dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const text = dialog.querySelector("[data-confirm-text]");
  const ok = dialog.querySelector("[data-confirm-ok]");
  let pending = null;
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[data-confirm]") || form.querySelector("input[name=confirmed]")) return;
    event.preventDefault();
    pending = { form, submitter: event.submitter };
    text.textContent = form.dataset.confirm;
    ok.textContent = form.dataset.confirmButton;
    dialog.returnValue = "";
    dialog.showModal();
  });
  dialog.addEventListener("close", () => {
    const { form, submitter } = pending || {};
    pending = null;
    if (dialog.returnValue !== "ok" || !form) return;
    const confirmed = document.createElement("input");
    confirmed.type = "hidden";
    confirmed.name = "confirmed";
    confirmed.value = "1";
    form.append(confirmed);
    form.requestSubmit(submitter);
  });
}

setUpNavToggle();
setUpConfirmations();
setUpAutosubmit();
setUpGrowingFieldsets();
