// A live sparring room: messages, catch-up after reconnects, typing, presence and the
// reflecting-team session panel. The page works without this (server-rendered history and a
// plain form); the Socket.IO client is the vendored static/vendor/socket.io.min.js.

const root = document.getElementById("room");

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

  const socket = window.io("/rooms", { transports: ["websocket", "polling"] });

  function render(m) {
    const li = document.createElement("li");
    li.className = "message";
    li.id = `besked-${m.id}`;
    li.dataset.id = String(m.id);
    const meta = document.createElement("p");
    meta.className = "message-meta";
    const who = document.createElement("strong");
    who.textContent = m.author.name;
    const time = document.createElement("time");
    time.dateTime = m.created_at;
    time.textContent = new Date(m.created_at).toLocaleString("da-DK", { dateStyle: "short", timeStyle: "short" });
    meta.append(who, " ", time);
    if (m.edited_at && !m.deleted) meta.append(" (rettet)");
    li.append(meta);
    const body = document.createElement("div");
    body.className = m.deleted ? "deleted" : "message-body";
    if (m.deleted) body.textContent = "Beskeden er slettet.";
    else body.innerHTML = m.html; // rendered and sanitised on the server (network/markdown.py)
    li.append(body);
    li.dataset.authorId = m.author.id == null ? "" : String(m.author.id);
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
    edit.className = "button-link";
    edit.textContent = "Ret";
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button-link";
    remove.textContent = "Slet";
    tools.append(edit, " ", remove);
    li.append(tools);
    remove.addEventListener("click", () => {
      if (window.confirm("Slet beskeden?")) socket.emit("delete", { message_id: id });
    });
    edit.addEventListener("click", () => {
      const box = document.createElement("textarea");
      box.setAttribute("aria-label", "Ret beskeden");
      box.value = li.dataset.body || "";
      const save = document.createElement("button");
      save.type = "button";
      save.className = "button";
      save.textContent = "Gem";
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
    if (old) old.replaceWith(render(m));
    else add(m);
  }

  function add(m) {
    if (m.room_id !== roomId) return;
    pending.delete(m.client_id);
    if (known.has(m.id)) return;
    known.add(m.id);
    // Keep server order even if a catch-up and a live message cross.
    const after = [...list.children].find((li) => Number(li.dataset.id) > m.id);
    list.insertBefore(render(m), after || null);
    lastId = Math.max(lastId, m.id);
    if (!firstId) firstId = m.id;
  }

  // The last id seen before the servers lost their link to each other (Redis away): on recovery
  // the room is fetched again from there, as messages stored elsewhere may have ids below ours.
  let syncedId = null;
  function showConnection(text, trouble) {
    connection.textContent = text;
    connection.classList.toggle("connection-trouble", trouble);
  }
  socket.on("connect", () => {
    showConnection("Forbundet", false);
    const since = syncedId ?? lastId;
    syncedId = null;
    socket.emit("join", { room_id: roomId, last_id: since || null });
    resend([...pending]);
  });
  socket.on("disconnect", () => {
    showConnection("Forbindelsen er afbrudt – prøver igen …", true);
  });
  socket.on("connect_error", () => {
    showConnection("Kan ikke forbinde – prøver igen …", true);
  });
  socket.on("link", (data) => {
    if (!data.ok) {
      if (syncedId === null) syncedId = lastId;
      showConnection("Genopretter forbindelsen … Dine beskeder gemmes, men andre ser dem måske først bagefter.", true);
      return;
    }
    const since = syncedId ?? lastId;
    syncedId = null;
    showConnection("Forbundet", false);
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
    for (const m of [...data.messages].reverse()) {
      if (known.has(m.id)) continue;
      known.add(m.id);
      list.prepend(render(m));
      firstId = m.id;
    }
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
    old.replaceWith(render(m));
  });
  socket.on("typing", (data) => {
    if (data.room_id !== roomId) return;
    typing.textContent = `${data.member.name} skriver …`;
    clearTimeout(typing.timer);
    typing.timer = setTimeout(() => (typing.textContent = ""), 3000);
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
      status.textContent = "Skriv en besked først.";
      return;
    }
    status.textContent = "";
    const clientId = uuid();
    pending.set(clientId, body);
    textarea.value = "";
    if (socket.connected) send(clientId, body);
    else status.textContent = "Beskeden sendes, når forbindelsen er tilbage.";
  });
  textarea.addEventListener("keydown", (event) => {
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
    document.getElementById("phase-label").textContent = session.phase_label;
    document.getElementById("session-status").textContent = session.status === "paused" ? "(på pause)" : "";
    const phases = document.getElementById("phases");
    phases.replaceChildren(
      ...session.phases.map((p, i) => {
        const li = document.createElement("li");
        li.textContent = `${p.label} (${p.minutes} min)`;
        if (i === session.phase_index) li.setAttribute("aria-current", "step");
        return li;
      }),
    );
    const allowed = mayPost();
    fields.disabled = !allowed;
    status.textContent = allowed ? "" : "Du kan ikke skrive i denne fase.";
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
      out.textContent = "Tiden er gået";
      return;
    }
    const m = Math.floor(seconds / 60);
    const s = String(seconds % 60).padStart(2, "0");
    out.textContent = `${m}:${s} tilbage`;
  }

  for (const li of list.querySelectorAll("[data-id]")) decorate(li);
  if (session) showSession();
  setInterval(tick, 1000);
}

if (root && window.io) setUpRoom();
