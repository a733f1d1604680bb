// The cart of one shop, kept in localStorage so a reload, a dropped connection or a refused
// order never loses it. One Idempotency-Key per submission: kept with the cart until the shop
// answers, so a retry after a network error can never place the order twice; changing the
// cart starts a new submission.
(function () {
  "use strict";
  var box = document.getElementById("cart");
  if (!box) return;
  var T = JSON.parse(document.getElementById("strings").textContent);
  var t = function (k, v) { var s = T[k] || k; for (var n in v || {}) s = s.replace("%(" + n + ")s", v[n]); return s; };
  var shop = box.dataset.shop, channel = box.dataset.channel, table = box.dataset.table;
  var storeKey = "onestreet.cart." + shop + "." + channel + "." + table;
  var money = function (m) { return "NT$" + (m / 100).toLocaleString("en-US", {maximumFractionDigits: 2}); };
  var load = function () { try { return JSON.parse(localStorage.getItem(storeKey)) || {lines: []}; } catch (e) { return {lines: []}; } };
  var cart = load();
  var save = function () { localStorage.setItem(storeKey, JSON.stringify(cart)); draw(); };
  var changed = function () { cart.key = null; save(); };
  var newKey = function () {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  };

  function draw() {
    var list = document.getElementById("cart-lines");
    list.textContent = "";
    var total = 0;
    cart.lines.forEach(function (line, i) {
      total += line.unit * line.quantity;
      var li = document.createElement("li");
      li.textContent = line.quantity + " × " + line.name + (line.options.length ? " (" + line.options.join(", ") + ")" : "") + " " + money(line.unit * line.quantity) + " ";
      var rm = document.createElement("button");
      rm.type = "button"; rm.className = "quiet"; rm.textContent = t("Remove");
      rm.onclick = function () { cart.lines.splice(i, 1); changed(); };
      li.appendChild(rm);
      list.appendChild(li);
    });
    document.getElementById("cart-total").textContent = money(total);
    box.hidden = cart.lines.length === 0;
  }

  document.querySelectorAll("form.add").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var err = form.querySelector(".error"), optionIds = [], names = [], unit = +form.dataset.price, problem = "";
      form.querySelectorAll("fieldset").forEach(function (fs) {
        var picked = fs.querySelectorAll("input:checked"), group = fs.querySelector("legend").textContent;
        if (fs.dataset.required === "1" && !picked.length) problem = problem || t("Choose an option for %(group)s.", {group: group});
        if (picked.length > +fs.dataset.max) problem = problem || t("Choose at most %(max)s for %(group)s.", {group: group, max: fs.dataset.max});
        picked.forEach(function (i) { optionIds.push(i.value); names.push(i.dataset.name); unit += +i.dataset.delta; });
      });
      if (problem) { err.textContent = problem; err.hidden = false; return; }
      err.hidden = true;
      var qty = Math.max(1, Math.min(99, parseInt(form.quantity.value, 10) || 1));
      cart.lines.push({listing_id: form.dataset.listing, name: form.dataset.name, option_ids: optionIds, options: names, unit: unit, quantity: qty});
      changed();
    });
  });
  document.getElementById("cart-clear").onclick = function () { cart = {lines: []}; changed(); };

  var submit = document.getElementById("cart-submit"), error = document.getElementById("cart-error");
  submit.onclick = function () {
    if (!cart.lines.length) return;
    if (!cart.key) { cart.key = newKey(); save(); }  // kept before sending: a retry reuses it
    submit.disabled = true; submit.textContent = t("Sending…"); error.hidden = true;
    var body = {channel: channel, lines: cart.lines.map(function (l) { return {listing_id: l.listing_id, quantity: l.quantity, option_ids: l.option_ids}; })};
    if (table) body.table = table;
    var notes = document.getElementById("notes").value.trim();
    if (notes) body.notes = notes;
    fetch("/api/shops/" + shop + "/orders?lang=" + box.dataset.lang, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Idempotency-Key": cart.key, "x-csrf-token": box.dataset.csrf},
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.ok) {
          localStorage.removeItem(storeKey);
          // The order's key: without a signed-in owner, the link is the only way back to it.
          location.assign("/orders/" + data.id + (data.access_token ? "?token=" + encodeURIComponent(data.access_token) : ""));
          return;
        }
        // Refused: the cart stays; a changed cart gets a new key, an unchanged one keeps its answer.
        var e = data.error || {};
        var msg = (r.status === 401 || r.status === 403) && channel === "online_pickup" ? t("Please sign in to order for pick-up.") : t("The shop could not take this order.") + " " + (e.message || "");
        if (Array.isArray(e.details)) msg += " " + e.details.map(function (p) { return p.message; }).join(" ");
        fail(msg);
      });
    }, function () { fail(t("We could not reach the shop. Your order is kept; try again.")); });
  };
  function fail(msg) {
    error.textContent = msg; error.hidden = false;
    submit.disabled = false; submit.textContent = t("Place order");
  }
  draw();
})();
