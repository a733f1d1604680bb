// Kiosk mode. Orders are "pay at the counter" kiosk orders. Every order gets its
// Idempotency-Key when the customer taps the button and goes into a queue in localStorage
// first; the queue is sent in order, and an order leaves it only when the server has answered.
// So an order taken offline is sent when the connection returns, with the same key, exactly
// once, even if the kiosk reloads in between.
// The kiosk is a paired device: the pairing code is exchanged once for the device credential
// (kept in localStorage), and every order and heartbeat is signed with it as the devices
// contract says (merchant_api/devices/__init__.py). Requests carry no cookies, so a session of
// whoever paired the tablet never places the orders. Signing needs Web Crypto (HTTPS).
(function () {
  "use strict";
  var box = document.getElementById("cart");
  var T = JSON.parse(document.getElementById("strings").textContent);
  var t = function (k, v) { var s = T[k] || k; for (var n in v || {}) s = s.replace("%(" + n + ")s", v[n]); return s; };
  var shop = box.dataset.shop, lang = box.dataset.lang, idle = +box.dataset.idle, version = box.dataset.version;
  var CART = "onestreet.kiosk.cart." + shop, QUEUE = "onestreet.kiosk.queue." + shop, STARTED = "onestreet.kiosk.started";
  var DEVICE = "onestreet.kiosk.device", SKEW = "onestreet.kiosk.skew";
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
      if (!cart.length) bump("carts_started");
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
  // --- the device credential: pairing, signing, heartbeats
  var enc = new TextEncoder(), device = read(DEVICE, null), bootTime = Date.now();
  var hex = function (buf) { return Array.prototype.map.call(new Uint8Array(buf), function (b) { return ("0" + b.toString(16)).slice(-2); }).join(""); };
  function nonce() { var a = new Uint8Array(12); crypto.getRandomValues(a); return hex(a.buffer); }
  function signedFetch(method, path, body, query, extra) {
    var ts = String(Math.floor(Date.now() / 1000) + (+localStorage.getItem(SKEW) || 0)), n = nonce();
    return crypto.subtle.digest("SHA-256", enc.encode(body)).then(function (digest) {
      var canonical = [method, path, ts, n, hex(digest)].join("\n");
      return crypto.subtle.importKey("raw", enc.encode(device.secret), {name: "HMAC", hash: "SHA-256"}, false, ["sign"])
        .then(function (key) { return crypto.subtle.sign("HMAC", key, enc.encode(canonical)); });
    }).then(function (signature) {
      return fetch(path + (query || ""), {
        method: method, credentials: "omit", body: body,
        headers: Object.assign({"Content-Type": "application/json", "X-Device-Credential": device.credential_id,
          "X-Device-Timestamp": ts, "X-Device-Nonce": n, "X-Device-Signature": hex(signature)}, extra || {})
      });
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (d) {
        var code = (d.error || {}).code || "";
        if (code === "device_timestamp_out_of_range" && d.error.details) {
          // The tablet's clock is off: remember the server's and sign again once.
          localStorage.setItem(SKEW, String(d.error.details.server_time - Math.floor(Date.now() / 1000)));
        }
        if (code === "device_credential_revoked" || code === "device_credential_unknown" || code === "device_retired") unpair();
        return {status: r.status, data: d, code: code};
      });
    });
  }
  function unpair() { localStorage.removeItem(DEVICE); device = null; showPairing(); }
  function showPairing() {
    document.getElementById("pairing").hidden = !!device;
    if (!device) document.getElementById("pair-code").focus();
  }
  document.getElementById("pair-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var err = document.getElementById("pair-error");
    if (!window.crypto || !crypto.subtle) { err.textContent = t("This kiosk needs a secure connection (HTTPS) to pair."); err.hidden = false; return; }
    var code = document.getElementById("pair-code").value.replace(/[\s-]/g, "").toUpperCase();
    fetch("/api/devices/pair", {method: "POST", credentials: "omit", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({code: code, app_version: version})
    }).then(function (r) { return r.json().then(function (d) { return {ok: r.ok, data: d}; }); }).then(function (answer) {
      if (!answer.ok) { err.textContent = t("The code was not accepted; ask the owner for a new one."); err.hidden = false; return; }
      var d = answer.data;
      device = {device_id: d.device_id, credential_id: d.credential_id, secret: d.secret, shop_id: d.shop_id};
      localStorage.setItem(DEVICE, JSON.stringify(device));
      // A code made for another shop pairs the kiosk to that shop: open its menu.
      if (d.shop_id && d.shop_id !== shop) { location.assign("/kiosk/" + d.shop_id); return; }
      err.hidden = true; showPairing(); heartbeat(); flush();
    }, function () { err.textContent = t("We could not reach the shop. Your order is kept; try again."); err.hidden = false; });
  });
  // Kiosk sessions for the programme's use figures: counted here, sent with the heartbeat, and
  // taken off only once the server has them, so counts survive a dropped connection.
  var STATS = "onestreet.kiosk.stats", COUNTED = ["menu_views", "carts_started", "carts_abandoned", "orders_placed"];
  function bump(name) { var s = read(STATS, {}); s[name] = (s[name] || 0) + 1; localStorage.setItem(STATS, JSON.stringify(s)); }
  function heartbeat() {
    if (!device || !navigator.onLine) return;
    // seq: milliseconds are unique per device and need no counter kept across reloads.
    var now = Date.now(), at = new Date(now).toISOString(), stats = read(STATS, {});
    var events = [{type: "heartbeat", seq: now * 2, time: at, app_version: version,
      uptime_seconds: Math.floor((now - bootTime) / 1000), cpu_percent: 0, memory_percent: 0}];
    var usage = {type: "kiosk", seq: now * 2 + 1, time: at}, any = false;
    COUNTED.forEach(function (k) { if (stats[k]) { usage[k] = stats[k]; any = true; } });
    if (any) events.push(usage);
    signedFetch("POST", "/api/devices/" + device.device_id + "/telemetry", JSON.stringify(events)).then(function (answer) {
      if (answer.status !== 200 || !any) return;
      var left = read(STATS, {});
      COUNTED.forEach(function (k) { left[k] = Math.max(0, (left[k] || 0) - (usage[k] || 0)); });
      localStorage.setItem(STATS, JSON.stringify(left));
    }).catch(function () {});
  }
  function send(entry) {
    return signedFetch("POST", "/api/shops/" + shop + "/orders", JSON.stringify(entry.body), "?lang=" + lang, {"Idempotency-Key": entry.key});
  }
  // Sends the queue in order; stops at the first network failure (offline) and tries later.
  function flush() {
    if (sending || !device) return Promise.resolve();  // unpaired: the queue waits for pairing
    var q = queue();
    if (!q.length) { offline(!navigator.onLine); return Promise.resolve(); }
    sending = true;
    var entry = q[0];
    return send(entry).then(function (answer) {
      sending = false;
      offline(false);
      if (answer.status === 409) return;  // the same key is still being handled: ask again later
      // Not signed right (yet), or the server is in trouble: keep it; the same key is safe to resend.
      if (answer.status === 401 || answer.status === 403 || answer.status >= 500) return;
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
    bump("orders_placed");
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
    if (cart.length) bump("carts_abandoned");
    cart = []; saveCart();
    document.getElementById("done").hidden = true;
    sessionStorage.removeItem(STARTED);
    attract.hidden = false;
    window.scrollTo(0, 0);
  }
  function touched() { clearTimeout(timer); timer = setTimeout(reset, idle * 1000); }
  ["pointerdown", "keydown"].forEach(function (n) { document.addEventListener(n, touched, {passive: true}); });
  document.getElementById("start").onclick = function () { bump("menu_views"); attract.hidden = true; sessionStorage.setItem(STARTED, "1"); touched(); };
  if (sessionStorage.getItem(STARTED)) attract.hidden = true;
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { offline(true); });
  setInterval(flush, 10000);
  setInterval(heartbeat, (+box.dataset.heartbeat || 60) * 1000);
  draw(); showQueue(); showPairing(); heartbeat(); flush(); touched();
})();
