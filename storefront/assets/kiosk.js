// Kiosk mode. Orders are "pay at the counter" kiosk orders. Every order gets its
// Idempotency-Key when the customer taps the button and goes into a queue in localStorage
// first; the queue is sent in order, and an order leaves it only when the server has answered.
// So an order taken offline is sent when the connection returns, with the same key, exactly
// once, even if the kiosk reloads in between.
(function () {
  "use strict";
  var box = document.getElementById("cart");
  var T = JSON.parse(document.getElementById("strings").textContent);
  var t = function (k, v) { var s = T[k] || k; for (var n in v || {}) s = s.replace("%(" + n + ")s", v[n]); return s; };
  var shop = box.dataset.shop, csrf = box.dataset.csrf, lang = box.dataset.lang, idle = +box.dataset.idle;
  var CART = "onestreet.kiosk.cart." + shop, QUEUE = "onestreet.kiosk.queue." + shop, STARTED = "onestreet.kiosk.started";
  var money = function (m) { return "NT$" + (m / 100).toLocaleString("en-US"); };
  var read = function (k, d) { try { return JSON.parse(localStorage.getItem(k)) || d; } catch (e) { return d; } };
  var cart = read(CART, []);
  var newKey = function () { return crypto.randomUUID ? crypto.randomUUID() : "k" + Date.now().toString(36) + Math.random().toString(36).slice(2); };
  function saveCart() { localStorage.setItem(CART, JSON.stringify(cart)); draw(); }
  function draw() {
    var list = document.getElementById("cart-lines"), total = 0;
    list.textContent = "";
    cart.forEach(function (line, i) {
      total += line.unit * line.quantity;
      var li = document.createElement("li");
      li.textContent = line.quantity + " × " + line.name + (line.options.length ? " (" + line.options.join(", ") + ")" : "") + " ";
      var rm = document.createElement("button"); rm.type = "button"; rm.className = "quiet"; rm.textContent = t("Remove");
      rm.onclick = function () { cart.splice(i, 1); saveCart(); };
      li.appendChild(rm); list.appendChild(li);
    });
    document.getElementById("cart-total").textContent = money(total);
    document.getElementById("cart-submit").disabled = !cart.length;
  }
  document.querySelectorAll("form.add").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var err = form.querySelector(".error"), ids = [], names = [], unit = +form.dataset.price, problem = "";
      form.querySelectorAll("fieldset").forEach(function (fs) {
        var picked = fs.querySelectorAll("input:checked"), group = fs.querySelector("legend").textContent;
        if (fs.dataset.required === "1" && !picked.length) problem = problem || t("Choose an option for %(group)s.", {group: group});
        if (picked.length > +fs.dataset.max) problem = problem || t("Choose at most %(max)s for %(group)s.", {group: group, max: fs.dataset.max});
        picked.forEach(function (i) { ids.push(i.value); names.push(i.dataset.name); unit += +i.dataset.delta; });
      });
      if (problem) { err.textContent = problem; err.hidden = false; return; }
      err.hidden = true;
      cart.push({listing_id: form.dataset.listing, name: form.dataset.name, option_ids: ids, options: names, unit: unit, quantity: Math.max(1, Math.min(99, parseInt(form.quantity.value, 10) || 1))});
      saveCart();
    });
  });
  document.getElementById("cart-clear").onclick = function () { cart = []; saveCart(); };

  // --- the queue
  var sending = false;
  function queue() { return read(QUEUE, []); }
  function setQueue(q) { localStorage.setItem(QUEUE, JSON.stringify(q)); showQueue(); }
  function showQueue() {
    var n = queue().length;
    document.getElementById("queued").textContent = n ? t("%(count)s orders waiting to be sent", {count: n}) : "";
  }
  function offline(is) {
    var banner = document.getElementById("offline");
    banner.hidden = !is;
    banner.textContent = t("Offline: orders are kept on this kiosk and sent when the connection returns.");
  }
  function send(entry) {
    return fetch("/api/shops/" + shop + "/orders?lang=" + lang, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Idempotency-Key": entry.key, "x-csrf-token": csrf},
      body: JSON.stringify(entry.body)
    }).then(function (r) { return r.json().catch(function () { return {}; }).then(function (d) { return {status: r.status, data: d}; }); });
  }
  // Sends the queue in order; stops at the first network failure (offline) and tries later.
  function flush() {
    if (sending) return Promise.resolve();
    var q = queue();
    if (!q.length) { offline(!navigator.onLine); return Promise.resolve(); }
    sending = true;
    var entry = q[0];
    return send(entry).then(function (answer) {
      sending = false;
      offline(false);
      if (answer.status === 409) return;  // the same key is still being handled: ask again later
      setQueue(queue().filter(function (e) { return e.key !== entry.key; }));
      if (answer.status < 300 && entry.showing && !document.getElementById("done").hidden) showNumber(answer.data.number);
      return flush();
    }, function () { sending = false; offline(true); });
  }
  function showNumber(number) {
    document.getElementById("done-number").textContent = number;
    document.getElementById("done-hint").textContent = t("Please pay at the counter.");
  }
  document.getElementById("cart-submit").onclick = function () {
    if (!cart.length) return;
    var entry = {key: newKey(), code: newKey().slice(0, 4).toUpperCase(), showing: true,
      body: {channel: "kiosk", lines: cart.map(function (l) { return {listing_id: l.listing_id, quantity: l.quantity, option_ids: l.option_ids}; })}};
    setQueue(queue().map(function (e) { e.showing = false; return e; }).concat([entry]));
    cart = []; saveCart();
    var done = document.getElementById("done");
    document.getElementById("done-number").textContent = entry.code;
    document.getElementById("done-hint").textContent = t("Your order is saved. Please pay at the counter and show this code.");
    done.hidden = false;
    flush();
  };
  document.getElementById("done-ok").onclick = reset;

  // --- attract screen and idle reset
  var attract = document.getElementById("attract"), timer = null;
  function reset() {
    cart = []; saveCart();
    document.getElementById("done").hidden = true;
    sessionStorage.removeItem(STARTED);
    attract.hidden = false;
    window.scrollTo(0, 0);
  }
  function touched() { clearTimeout(timer); timer = setTimeout(reset, idle * 1000); }
  ["pointerdown", "keydown"].forEach(function (n) { document.addEventListener(n, touched, {passive: true}); });
  document.getElementById("start").onclick = function () { attract.hidden = true; sessionStorage.setItem(STARTED, "1"); touched(); };
  if (sessionStorage.getItem(STARTED)) attract.hidden = true;
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { offline(true); });
  setInterval(flush, 10000);
  draw(); showQueue(); flush(); touched();
})();
