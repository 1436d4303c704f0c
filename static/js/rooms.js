// A live sparring room: messages, catch-up after reconnects, typing, presence and the
// reflecting-team session panel. The page works without this (server-rendered history and a
// plain form); the Socket.IO client is the vendored static/vendor/socket.io.min.js.

const root = document.getElementById("room");
// The page's texts in its language, from the catalogue (templates/rooms/room.html).
const stringsBlock = document.getElementById("room-strings");
const T = stringsBlock ? JSON.parse(stringsBlock.textContent) : {};
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key]);
// One date format for the messages rendered on the server and those that arrive live.
const dateFormat = new Intl.DateTimeFormat(T.lang || "da", {
  dateStyle: "short",
  timeStyle: "short",
  timeZone: T.timezone || "Europe/Copenhagen",
});
const formatDate = (iso) => dateFormat.format(new Date(iso));
const GROUP_MS = 5 * 60 * 1000; // messages from one person this close together form one group

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function setUpRoom() {
  const roomId = Number(root.dataset.roomId);
  const memberId = Number(root.dataset.memberId);
  let role = root.dataset.role || null;
  let lastId = Number(root.dataset.lastId) || 0;
  let firstId = Number(root.dataset.firstId) || 0;
  let session = JSON.parse(root.dataset.session || "null");
  let clockOffset = 0; // server time minus local time, in ms
  const known = new Set([...document.querySelectorAll("#messages [data-id]")].map((li) => Number(li.dataset.id)));
  const pending = new Map(); // client_id -> body, until the server has stored it

  const list = document.getElementById("messages");
  const form = document.getElementById("composer");
  const fields = document.getElementById("composer-fields");
  const textarea = form.querySelector("textarea");
  const status = document.getElementById("composer-status");
  const connection = document.getElementById("connection");
  const typing = document.getElementById("typing");
  const earlier = document.getElementById("load-earlier");
  const pill = document.getElementById("new-messages");

  const socket = window.io("/rooms", { transports: ["websocket", "polling"] });

  // The avatar: initials on the person's colour, or the neutral figure for a persona (payload.avatar null).
  const neutralAvatar = document.querySelector("#room-avatar-neutral");
  function avatar(face) {
    if (!face) {
      return neutralAvatar.content.firstElementChild.cloneNode(true);
    }
    const span = document.createElement("span");
    span.className = `avatar avatar-small avatar-initials avatar-tone-${face.tone}`;
    span.setAttribute("aria-hidden", "true");
    span.textContent = face.initials;
    return span;
  }

  function render(m) {
    const li = document.createElement("li");
    li.className = "message";
    li.id = `besked-${m.id}`;
    li.dataset.id = String(m.id);
    const main = document.createElement("div");
    main.className = "message-main";
    const meta = document.createElement("p");
    meta.className = "message-meta";
    const who = document.createElement("strong");
    who.textContent = m.author.name;
    const time = document.createElement("time");
    time.dateTime = m.created_at;
    time.textContent = formatDate(m.created_at);
    meta.append(who, " ", time);
    if (m.phase && T.phases && T.phases[m.phase]) {
      const tag = document.createElement("span");
      tag.className = "phase-tag";
      tag.textContent = T.phases[m.phase];
      meta.append(" ", tag);
    }
    if (m.edited_at && !m.deleted) {
      const edited = document.createElement("span");
      edited.className = "edited";
      edited.textContent = `(${T.edited})`;
      meta.append(" ", edited);
    }
    main.append(meta);
    const body = document.createElement("div");
    body.className = m.deleted ? "deleted" : "message-body";
    if (m.deleted) body.textContent = T.deleted;
    else body.innerHTML = m.html; // rendered and sanitised on the server (network/markdown.py)
    main.append(body);
    li.append(avatar(m.avatar), main);
    li.dataset.authorId = m.author.id == null ? "" : String(m.author.id);
    li.dataset.authorName = m.author.name;
    li.dataset.created = m.created_at;
    if (m.deleted) li.dataset.deleted = "";
    else li.dataset.body = m.body;
    decorate(li);
    return li;
  }

  // The author's own messages get "Ret" and "Slet" for 15 minutes; the server checks it again.
  const EDIT_WINDOW_MS = 15 * 60 * 1000;
  function decorate(li) {
    if (Number(li.dataset.authorId) !== memberId || "deleted" in li.dataset) return;
    if (Date.now() + clockOffset - new Date(li.dataset.created).getTime() > EDIT_WINDOW_MS) return;
    const id = Number(li.dataset.id);
    const tools = document.createElement("p");
    tools.className = "message-tools";
    const edit = document.createElement("button");
    edit.type = "button";
    edit.className = "button button-quiet button-small";
    edit.textContent = T.edit;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button button-quiet button-small";
    remove.textContent = T.delete;
    tools.append(edit, " ", remove);
    (li.querySelector(".message-main") || li).append(tools);
    remove.addEventListener("click", () => {
      if (window.confirm(T.confirmDelete)) socket.emit("delete", { message_id: id });
    });
    edit.addEventListener("click", () => {
      const box = document.createElement("textarea");
      box.setAttribute("aria-label", T.editLabel);
      box.value = li.dataset.body || "";
      const save = document.createElement("button");
      save.type = "button";
      save.className = "button";
      save.textContent = T.save;
      tools.replaceChildren(box, save);
      box.focus();
      save.addEventListener("click", () => {
        socket.emit("edit", { message_id: id, body: box.value }, (answer) => {
          if (answer && answer.ok) show(answer.message);
        });
      });
    });
  }

  // Our own answer from the server: it says the message is ours even under an anonymous persona.
  function show(m) {
    const old = document.getElementById(`besked-${m.id}`);
    if (old) replace(old, m);
    else add(m, true);
  }

  function replace(old, m) {
    const li = render(m);
    old.replaceWith(li);
    group(li);
  }

  // Consecutive messages from one person within a few minutes share one avatar and name.
  function group(li) {
    if (!li || !li.classList.contains("message")) return;
    const prev = li.previousElementSibling;
    const together =
      prev &&
      prev.classList.contains("message") &&
      prev.dataset.authorName === li.dataset.authorName &&
      prev.dataset.authorId === li.dataset.authorId &&
      new Date(li.dataset.created) - new Date(prev.dataset.created) < GROUP_MS;
    li.classList.toggle("message-continued", Boolean(together));
  }

  // The newest message sits at the bottom and stays in view unless the reader has scrolled up;
  // then a pill counts what arrived below.
  let unseen = 0;
  const nearBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 48;
  function toBottom() {
    list.scrollTop = list.scrollHeight;
    unseen = 0;
    pill.hidden = true;
  }
  function showPill() {
    pill.textContent = unseen === 1 ? T.newOne : fill(T.newMany, { count: unseen });
    pill.hidden = false;
  }
  list.addEventListener("scroll", () => {
    if (!pill.hidden && nearBottom()) toBottom();
  });
  pill.addEventListener("click", () => {
    toBottom();
    list.focus();
  });

  function add(m, mine = false) {
    if (m.room_id !== roomId) return;
    pending.delete(m.client_id);
    if (known.has(m.id)) return;
    known.add(m.id);
    const follow = mine || nearBottom();
    // Keep server order even if a catch-up and a live message cross.
    const after = [...list.children].find((li) => Number(li.dataset.id) > m.id);
    const li = render(m);
    list.insertBefore(li, after || null);
    group(li);
    group(li.nextElementSibling);
    lastId = Math.max(lastId, m.id);
    if (!firstId) firstId = m.id;
    stopTyping(m.author.name);
    if (follow) toBottom();
    else {
      unseen += 1;
      showPill();
    }
  }

  // The last id seen before the servers lost their link to each other (Redis away): on recovery
  // the room is fetched again from there, as messages stored elsewhere may have ids below ours.
  let syncedId = null;
  function showConnection(text, trouble) {
    connection.textContent = text;
    connection.classList.toggle("connection-trouble", trouble);
  }
  socket.on("connect", () => {
    showConnection(T.connected, false);
    const since = syncedId ?? lastId;
    syncedId = null;
    socket.emit("join", { room_id: roomId, last_id: since || null });
    resend([...pending]);
  });
  socket.on("disconnect", () => {
    showConnection(T.disconnected, true);
  });
  socket.on("connect_error", () => {
    showConnection(T.cannotConnect, true);
  });
  socket.on("link", (data) => {
    if (!data.ok) {
      if (syncedId === null) syncedId = lastId;
      showConnection(T.relinking, true);
      return;
    }
    const since = syncedId ?? lastId;
    syncedId = null;
    showConnection(T.connected, false);
    socket.emit("join", { room_id: roomId, last_id: since || null });
  });
  socket.on("history", (data) => {
    if (data.room_id !== roomId) return;
    for (const m of data.messages) add(m);
    if (data.more) socket.emit("join", { room_id: roomId, last_id: lastId });
    if (lastId) socket.emit("read", { room_id: roomId, message_id: lastId });
  });
  socket.on("history_page", (data) => {
    if (data.room_id !== roomId) return;
    const height = list.scrollHeight;
    const top = list.firstElementChild;
    for (const m of [...data.messages].reverse()) {
      if (known.has(m.id)) continue;
      known.add(m.id);
      list.prepend(render(m));
      firstId = m.id;
    }
    for (const li of list.children) group(li);
    group(top);
    list.scrollTop += list.scrollHeight - height; // what was read stays where it was
    earlier.hidden = !data.more;
  });
  socket.on("message", (m) => {
    add(m);
    if (document.visibilityState === "visible") socket.emit("read", { room_id: roomId, message_id: m.id });
  });
  socket.on("message_updated", (m) => {
    const old = document.getElementById(`besked-${m.id}`);
    if (!old) return;
    // Broadcasts never carry an anonymous author's id; this page may already know it is ours.
    if (m.author.id == null && old.dataset.authorId) m = { ...m, author: { ...m.author, id: Number(old.dataset.authorId) } };
    replace(old, m);
  });

  // Who is typing, by the name the room sees; each clears after 3 seconds or when their message arrives.
  const typists = new Map(); // name -> timer
  function showTyping() {
    const names = [...typists.keys()];
    if (!names.length) typing.textContent = "";
    else if (names.length === 1) typing.textContent = fill(T.typingOne, { name: names[0] });
    else {
      const joined = `${names.slice(0, -1).join(", ")} ${T.and} ${names.at(-1)}`;
      typing.textContent = fill(T.typingMany, { names: joined });
    }
  }
  function stopTyping(name) {
    if (!typists.has(name)) return;
    clearTimeout(typists.get(name));
    typists.delete(name);
    showTyping();
  }
  socket.on("typing", (data) => {
    if (data.room_id !== roomId) return;
    const name = data.member.name;
    clearTimeout(typists.get(name));
    typists.set(
      name,
      setTimeout(() => stopTyping(name), 3000),
    );
    showTyping();
  });
  socket.on("presence", (data) => {
    if (data.room_id !== roomId) return;
    const ul = document.getElementById("online");
    ul.replaceChildren(
      ...data.online.map((m) => {
        const li = document.createElement("li");
        li.textContent = m.name;
        return li;
      }),
    );
  });
  socket.on("error", (error) => {
    status.textContent = error.message;
  });
  socket.on("session", (state) => {
    if (state.room_id !== roomId) return;
    const wasNone = !session;
    session = state;
    if (wasNone || state.status === "finished") {
      // Roles, forms and the summary live in the page: load it fresh at the start and the end.
      window.location.reload();
      return;
    }
    showSession();
  });

  function resend(queue) {
    // One at a time, in the order written: the server handles events on parallel threads.
    if (!queue.length || !socket.connected) return;
    const [clientId, body] = queue.shift();
    send(clientId, body, () => resend(queue));
  }

  function send(clientId, body, then) {
    socket.emit("message", { room_id: roomId, body, client_id: clientId }, (answer) => {
      if (answer && answer.ok) {
        pending.delete(clientId);
        show(answer.message);
      } else if (answer && answer.error) {
        pending.delete(clientId);
        if (!textarea.value) textarea.value = body; // nothing typed is lost
      }
      if (then) then();
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = textarea.value.trim();
    if (!body) {
      status.textContent = T.writeFirst;
      return;
    }
    status.textContent = "";
    const clientId = uuid();
    pending.set(clientId, body);
    textarea.value = "";
    if (socket.connected) send(clientId, body);
    else status.textContent = T.sendLater;
  });
  // Mention autocomplete: after "@", names of people who may enter the room (never a persona).
  const mentions = document.createElement("ul");
  mentions.id = "mention-list";
  mentions.className = "mention-list";
  mentions.setAttribute("role", "listbox");
  mentions.setAttribute("aria-label", T.mentionLabel);
  mentions.hidden = true;
  textarea.after(mentions);
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-controls", mentions.id);
  let mentionStart = -1;
  let active = 0;
  function closeMentions() {
    mentions.hidden = true;
    mentions.replaceChildren();
    textarea.removeAttribute("aria-activedescendant");
  }
  function markActive() {
    [...mentions.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
    if (mentions.children[active]) textarea.setAttribute("aria-activedescendant", mentions.children[active].id);
  }
  function pickMention(name) {
    const before = textarea.value.slice(0, mentionStart);
    const after = textarea.value.slice(textarea.selectionStart);
    textarea.value = `${before}@${name} ${after}`;
    const caret = before.length + name.length + 2;
    textarea.setSelectionRange(caret, caret);
    closeMentions();
    textarea.focus();
  }
  textarea.addEventListener("input", () => {
    const upto = textarea.value.slice(0, textarea.selectionStart);
    const found = upto.match(/(?:^|\s)@([^\s@]{1,30}(?: [^\s@]{0,30})?)$/u);
    if (!found) return closeMentions();
    const query = found[1].toLocaleLowerCase();
    const names = (T.mentionNames || [])
      .filter((name) => name.toLocaleLowerCase().split(/\s+/).some((w, i, ws) => ws.slice(i).join(" ").startsWith(query)))
      .slice(0, 6);
    if (!names.length) return closeMentions();
    mentionStart = upto.length - found[1].length - 1;
    active = 0;
    mentions.replaceChildren(
      ...names.map((name, i) => {
        const li = document.createElement("li");
        li.id = `mention-${i}`;
        li.setAttribute("role", "option");
        li.textContent = name;
        li.addEventListener("mousedown", (event) => {
          event.preventDefault();
          pickMention(name);
        });
        return li;
      }),
    );
    mentions.hidden = false;
    markActive();
  });
  textarea.addEventListener("blur", () => setTimeout(closeMentions, 150));
  textarea.addEventListener("keydown", (event) => {
    if (!mentions.hidden) {
      const count = mentions.children.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : count - 1)) % count;
        markActive();
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        pickMention(mentions.children[active].textContent);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        closeMentions();
        return;
      }
    }
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  let lastTyping = 0;
  textarea.addEventListener("input", () => {
    if (Date.now() - lastTyping > 2000 && socket.connected) {
      lastTyping = Date.now();
      socket.emit("typing", { room_id: roomId });
    }
  });
  earlier.addEventListener("click", () => {
    socket.emit("history", { room_id: roomId, before_id: firstId || null });
  });
  setInterval(() => socket.connected && socket.emit("heartbeat", {}), 25000);

  // --- the reflecting-team session -------------------------------------------------------
  for (const button of document.querySelectorAll("[data-session-action]")) {
    button.addEventListener("click", () => {
      if (!session) return;
      const action = button.dataset.sessionAction;
      // "Næste fase" in the round-up ends the session for everyone: ask first.
      if (action === "advance" && session.phase === "roundup" && !window.confirm(T.confirmEnd)) return;
      const data = { session_id: session.id };
      if (action === "extend") data.minutes = 5;
      socket.emit(`session_${action}`, data);
    });
  }

  function mayPost() {
    if (!session || session.status === "finished") return true;
    if (session.status === "paused") return role === "facilitator";
    return session.speakers.includes(role);
  }

  function showSession() {
    if (!session) return;
    clockOffset = new Date(session.server_time).getTime() - Date.now();
    document.getElementById("phase-label").textContent = T.phases[session.phase] || session.phase_label;
    document.getElementById("session-status").textContent = session.status === "paused" ? T.paused : "";
    const phases = document.getElementById("phases");
    phases.replaceChildren(
      ...session.phases.map((p, i) => {
        const li = document.createElement("li");
        li.textContent = `${T.phases[p.key] || p.label} (${fill(T.minutes, { minutes: p.minutes })})`;
        if (i === session.phase_index) li.setAttribute("aria-current", "step");
        return li;
      }),
    );
    // At the round-up the summary form appears for the facilitator and the case giver, without a reload.
    const summary = document.getElementById("summary-form");
    if (summary) summary.hidden = session.phase !== "roundup";
    const advance = document.getElementById("advance");
    if (advance) advance.textContent = session.phase === "roundup" ? T.endSession : T.nextPhase;
    const allowed = mayPost();
    fields.disabled = !allowed;
    status.textContent = allowed ? "" : T.mayNotPost;
    tick();
  }

  function tick() {
    const out = document.getElementById("countdown");
    if (!session) return;
    let seconds;
    if (session.status === "paused") seconds = session.remaining_seconds || 0;
    else if (session.deadline) {
      seconds = Math.round((new Date(session.deadline).getTime() - (Date.now() + clockOffset)) / 1000);
    } else return;
    if (seconds <= 0) {
      out.textContent = T.timeUp;
      return;
    }
    const m = Math.floor(seconds / 60);
    const s = String(seconds % 60).padStart(2, "0");
    out.textContent = fill(T.remaining, { time: `${m}:${s}` });
  }

  for (const li of list.querySelectorAll("[data-id]")) {
    li.querySelector("time").textContent = formatDate(li.dataset.created);
    group(li);
    decorate(li);
  }
  toBottom();
  // On a phone the phases, roles and controls fold away; the phase and countdown stay in view.
  const details = document.getElementById("session-details");
  if (window.matchMedia("(max-width: 899px)").matches) {
    if (details) details.open = false;
    // A chat on a phone opens at its end: the newest message just above the composer.
    if (known.size) form.scrollIntoView({ block: "end" });
  }
  if (session) showSession();
  setInterval(tick, 1000);
}

// Setting up a session: the case giver follows the chosen case's author (named cases only).
function setUpSessionForm() {
  const caseSelect = document.querySelector("[data-case-authors]");
  const giver = document.getElementById("case_giver_id");
  if (!caseSelect || !giver) return;
  const authors = JSON.parse(caseSelect.dataset.caseAuthors || "{}");
  caseSelect.addEventListener("change", () => {
    const author = authors[caseSelect.value];
    if (author && giver.querySelector(`option[value="${author}"]`)) giver.value = String(author);
  });
}

// A people picker: the checkbox list of members gets a type-ahead filter and a count of who is chosen.
// The checkboxes stay the control (keyboard and screen readers know them); chosen people stay in view.
let pickers = 0;
function setUpPicker(field) {
  const list = field.querySelector("ul");
  const legend = field.querySelector("legend");
  if (!list || !legend) return;
  pickers += 1;
  const search = document.createElement("input");
  search.type = "search";
  search.id = `picker-${pickers}`;
  search.className = "picker-search";
  search.autocomplete = "off";
  search.setAttribute("aria-label", `${T.findName}: ${legend.textContent.trim()}`);
  search.placeholder = T.findName;
  const count = document.createElement("p");
  count.className = "picker-count";
  count.setAttribute("aria-live", "polite");
  legend.after(search, count);
  const items = [...list.children];
  const showCount = () => {
    count.textContent = fill(T.chosen, { count: list.querySelectorAll("input:checked").length });
  };
  search.addEventListener("input", () => {
    const words = search.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    for (const li of items) {
      const name = li.textContent.toLocaleLowerCase();
      const checked = li.querySelector("input").checked;
      li.hidden = !checked && !words.every((w) => name.includes(w));
    }
  });
  search.addEventListener("keydown", (event) => {
    // Enter picks the only (or first) name left, then clears the search for the next one.
    if (event.key !== "Enter") return;
    event.preventDefault();
    const first = items.find((li) => !li.hidden && !li.querySelector("input").checked);
    if (!first) return;
    first.querySelector("input").checked = true;
    search.value = "";
    search.dispatchEvent(new Event("input"));
    showCount();
  });
  list.addEventListener("change", showCount);
  showCount();
}

if (root && window.io) setUpRoom();
setUpSessionForm();
for (const field of document.querySelectorAll(".people-picker")) setUpPicker(field);
