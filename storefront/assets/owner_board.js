// The live order board: today's orders from the orders API, then every change from the shop's
// server-sent event stream (EventSource resumes with Last-Event-ID on its own after a drop).
(function () {
  "use strict";
  var board = document.getElementById("board");
  var T = JSON.parse(document.getElementById("strings").textContent);
  var t = function (k, v) { var s = T[k] || k; for (var n in v || {}) s = s.replace("%(" + n + ")s", v[n]); return s; };
  var shop = board.dataset.shop, csrf = board.dataset.csrf, lang = board.dataset.lang;
  var NEXT = {placed: [["accepted", "Accept"]], accepted: [["preparing", "Start preparing"]], preparing: [["ready", "Ready"]], ready: [["completed", "Picked up"]]};
  var orders = {};
  var money = function (m) { return "NT$" + (m / 100).toLocaleString("en-US"); };
  var today = new Intl.DateTimeFormat("en-CA", {timeZone: "Asia/Taipei"}).format(new Date());
  var audio = null;
  document.getElementById("sound").onclick = function () {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    beep(); this.hidden = true;
  };
  function beep() {
    if (!audio) return;
    var o = audio.createOscillator(), g = audio.createGain();
    o.frequency.value = 880; o.connect(g); g.connect(audio.destination);
    g.gain.setValueAtTime(0.3, audio.currentTime); o.start(); o.stop(audio.currentTime + 0.4);
  }
  function api(path, opts) {
    opts = opts || {}; opts.credentials = "same-origin";
    opts.headers = Object.assign({"Content-Type": "application/json", "x-csrf-token": csrf}, opts.headers || {});
    return fetch(path, opts).then(function (r) { if (!r.ok) throw r; return r.json(); });
  }
  function card(o, fresh) {
    var el = document.createElement("article");
    el.className = "order" + (fresh ? " new" : ""); el.id = "order-" + o.id;
    var head = document.createElement("div");
    head.innerHTML = '<span class="n"></span> <span class="meta"></span>';
    head.firstChild.textContent = "#" + o.number;
    head.lastChild.textContent = (o.table ? t("Table %(table)s", {table: o.table}) + " · " : "") + o.placed_at_local.slice(11) + " · " + money(o.total_minor) + " · " + (o.paid ? t("Paid") : t("Not paid yet"));
    el.appendChild(head);
    var ul = document.createElement("ul");
    (o.lines || []).forEach(function (l) {
      var li = document.createElement("li");
      li.textContent = l.quantity + " × " + l.name + (l.options.length ? " (" + l.options.map(function (x) { return x.name; }).join(", ") + ")" : "");
      ul.appendChild(li);
    });
    el.appendChild(ul);
    if (o.notes) { var p = document.createElement("p"); p.className = "meta"; p.textContent = o.notes; el.appendChild(p); }
    (NEXT[o.status] || []).concat(o.status === "placed" || o.status === "accepted" ? [["cancelled", "Cancel"]] : []).forEach(function (n) {
      var b = document.createElement("button"); b.type = "button"; b.textContent = t(n[1]);
      b.dataset.to = n[0];
      if (n[0] === "cancelled") b.className = "quiet";
      b.onclick = function () { move(o, n[0], b); };
      el.appendChild(b);
    });
    return el;
  }
  function move(o, to, button) {
    button.disabled = true;
    api("/api/orders/" + o.id + "/transitions?lang=" + lang, {method: "POST", body: JSON.stringify({to: to})})
      .then(function (updated) { put(updated, false); }, function () { button.disabled = false; alert(t("Could not change the order; reload the page.")); });
  }
  function put(o, fresh) {
    orders[o.id] = o;
    var old = document.getElementById("order-" + o.id);
    if (old) old.remove();
    var col = board.querySelector('[data-status="' + o.status + '"] .list');
    if (col) { var c = card(o, fresh); if (fresh) col.insertBefore(c, col.firstChild); else col.appendChild(c); }
    figures();
  }
  function figures() {
    var n = 0, sales = 0, paid = 0;
    Object.keys(orders).forEach(function (id) {
      var o = orders[id];
      if (o.business_date !== today || o.status === "cancelled" || o.status === "refunded") return;
      n += 1; sales += o.total_minor; if (o.paid) paid += o.total_minor;
    });
    document.getElementById("count-today").textContent = n;
    document.getElementById("sales-today").textContent = money(sales);
    document.getElementById("paid-today").textContent = money(paid);
    board.querySelectorAll(".col").forEach(function (col) { col.querySelector(".c").textContent = col.querySelectorAll(".order").length; });
  }
  function follow(cursor) {
    var url = "/api/shops/" + shop + "/orders/stream" + (cursor != null ? "?after=" + cursor : "");
    var live = document.getElementById("live");
    var es = new EventSource(url, {withCredentials: true});
    es.onopen = function () { live.textContent = t("Live"); };
    es.onerror = function () { live.textContent = t("Reconnecting…"); };
    var changed = function (ev) {
      var d = JSON.parse(ev.data);
      api("/api/orders/" + d.order_id + "?lang=" + lang).then(function (o) {
        var fresh = ev.type === "order.placed";
        put(o, fresh);
        if (fresh) beep();
      });
    };
    es.addEventListener("order.placed", changed);
    es.addEventListener("order.status_changed", changed);
  }
  api("/api/shops/" + shop + "/orders?limit=100&date_from=" + today + "&lang=" + lang).then(function (page) {
    page.orders.slice().reverse().forEach(function (o) { put(o, false); });
    figures();
    follow(page.cursor);
  });
  var invite = document.getElementById("invite");
  if (invite) invite.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var out = document.getElementById("invite-result");
    api("/api/shops/" + shop + "/invitations", {method: "POST", body: JSON.stringify({email: invite.email.value, role: invite.role.value})})
      .then(function (made) { out.className = "ok"; out.textContent = "✓ " + invite.email.value + " — " + made.token; invite.reset(); },
        function (r) { out.className = "error"; (r.json ? r.json() : Promise.resolve({})).then(function (d) { out.textContent = (d.error && d.error.message) || "✗"; }); });
  });
})();
