// The meetup form: show the fixed-time fields or the poll's candidate times, and the invited
// schools only when the meetup is for invited schools. Without JS every field is simply shown.

function showWhen(element, visible) {
  if (element) element.hidden = !visible;
}

function setUpMeetupForm() {
  const form = document.querySelector("form.meetup-form");
  if (!form) return;
  const fixed = document.getElementById("fixed_time");
  const poll = document.getElementById("poll_options");
  const visibility = document.getElementById("visibility");
  const invited = document.getElementById("invited_school_ids")?.closest(".field");

  const update = () => {
    const mode = form.querySelector("input[name=mode]:checked")?.value ?? "fixed";
    if (poll) {
      showWhen(fixed, mode === "fixed");
      showWhen(poll, mode === "poll");
    }
    if (visibility) showWhen(invited, visibility.value === "invited");
  };
  form.addEventListener("change", update);
  update();
}

function setUpCopyFeedUrl() {
  const input = document.getElementById("feed-url");
  if (!input) return;
  input.addEventListener("focus", () => input.select());
  const button = document.querySelector("[data-copy=feed-url]");
  const status = document.querySelector("[data-copy-status]");
  if (!button || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(input.value);
    if (status) status.textContent = button.dataset.copied; // translated by the page
  });
}

setUpMeetupForm();
setUpCopyFeedUrl();
