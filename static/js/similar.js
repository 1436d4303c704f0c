// "Lignende sager og AL-projekter" while a member writes: debounced calls to /soeg/lignende.
// Use: <textarea data-similar-source="similar-box"> … <div id="similar-box" aria-live="polite"></div>
// and load this module with <script type="module" src=".../js/similar.js">.

const DELAY_MS = 600;
const MIN_CHARS = 20;

function render(target, items) {
  target.replaceChildren();
  if (!items.length) return;
  const heading = document.createElement("h2");
  heading.textContent = target.dataset.heading; // translated by the page (data-heading)
  const list = document.createElement("ul");
  for (const item of items) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.title; // text, never HTML: titles are user input
    li.append(link);
    list.append(li);
  }
  target.append(heading, list);
}

function watch(source) {
  const target = document.getElementById(source.dataset.similarSource);
  if (!target) return;
  let timer = null;
  let controller = null;
  source.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = source.value.trim();
      if (text.length < MIN_CHARS) return render(target, []);
      controller?.abort();
      controller = new AbortController();
      try {
        const response = await fetch(`/soeg/lignende?text=${encodeURIComponent(text.slice(0, 2000))}`, {
          signal: controller.signal,
          headers: { Accept: "application/json" },
        });
        if (response.ok) render(target, (await response.json()).items);
      } catch (error) {
        if (error.name !== "AbortError") render(target, []);
      }
    }, DELAY_MS);
  });
}

document.querySelectorAll("[data-similar-source]").forEach(watch);
