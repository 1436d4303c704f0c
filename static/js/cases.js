// Cases: autosave a draft to the server every few seconds while the leader writes.
// Without JavaScript the "Gem kladde" button does the same.

const INTERVAL_MS = 5000;

function setUpAutosave(form) {
  const url = form.dataset.autosave;
  const status = document.getElementById("autosave-status");
  const idField = form.querySelector("input[name=case_id]");
  const token = form.querySelector("input[name=csrf_token]");
  let dirty = false;
  let saving = false;
  let waitingSubmitter = null; // a button pressed while a save was on its way

  form.addEventListener("input", () => {
    dirty = true;
  });

  async function save() {
    if (!dirty || saving) return;
    saving = true;
    dirty = false;
    const body = new FormData(form);
    body.delete("publish");
    body.delete("save_draft");
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
      });
      const answer = await response.json();
      if (response.ok) {
        if (idField && !idField.value) {
          idField.value = String(answer.id);
          // Later saves and the buttons now update this draft instead of making a new one.
          form.action = answer.edit_url;
          history.replaceState(null, "", answer.edit_url);
        }
        // The time in the page's language (<html lang>), not the browser's.
        const time = new Date(answer.saved_at).toLocaleTimeString(document.documentElement.lang, {
          hour: "2-digit",
          minute: "2-digit",
        });
        if (status) status.textContent = `${answer.message} ${time}`;
      } else {
        dirty = true;
        if (status) status.textContent = answer.error || "";
      }
    } catch {
      dirty = true;
    } finally {
      saving = false;
      if (waitingSubmitter) {
        // Submit now, to the draft the save just made, so no second draft appears.
        const submitter = waitingSubmitter;
        waitingSubmitter = null;
        form.requestSubmit(submitter);
      }
    }
  }

  setInterval(save, INTERVAL_MS);
  form.addEventListener("submit", (event) => {
    if (saving) {
      event.preventDefault();
      waitingSubmitter = event.submitter;
      return;
    }
    dirty = false;
  });
}

for (const form of document.querySelectorAll("form[data-autosave]")) {
  setUpAutosave(form);
}
