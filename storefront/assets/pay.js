// Scan-to-pay. One attempt = one Idempotency-Key, written to localStorage before the request
// leaves: a double tap finds the button disabled, a reload or a retry after a dropped
// connection sends the same key (the server answers with the same payment and holds no
// points twice), and once the payment exists the page offers to continue it instead of
// starting another. Cards through Stripe are confirmed on this page with the Payment Element
// (or the card Element where Stripe.js has no Payment Element); wallets get a QR hand-off page.
(function () {
  "use strict";
  var T = JSON.parse((document.getElementById("strings") || {}).textContent || "{}");
  var t = function (k, v) { var s = T[k] || k; for (var n in v || {}) s = s.replace("%(" + n + ")s", v[n]); return s; };
  var read = function (k) { try { return JSON.parse(localStorage.getItem(k)); } catch (e) { return null; } };
  var write = function (k, v) { localStorage.setItem(k, JSON.stringify(v)); };
  var newKey = function () { return crypto.randomUUID ? crypto.randomUUID() : "k" + Date.now().toString(36) + Math.random().toString(36).slice(2); };
  var path = function (url) { try { return new URL(url, location.href).pathname; } catch (e) { return url; } };
  var twd = function (minor) { return "NT$" + (minor / 100).toLocaleString("en-US", {maximumFractionDigits: 2}); };
  var $ = function (id) { return document.getElementById(id); };

  var box = $("pay");
  if (box) payPage(box);
  if ($("receipt")) statusPoll($("receipt").dataset.payment, showReceipt);
  if ($("wallet-wait")) statusPoll($("wallet-wait").dataset.payment, function (d) {
    if (d.state === "succeeded") { location.assign("/pay/receipt/" + $("wallet-wait").dataset.payment); return true; }
    if (d.state === "failed" || d.state === "cancelled") { $("wallet-status").textContent = t("Payment failed"); return true; }
  });

  function payPage(box) {
    var storeKey = "onestreet.pay." + box.dataset.storeKey;
    var saved = read(storeKey);
    if (saved && saved.payment_id) { $("resume").hidden = false; $("resume-link").href = saved.next; }
    var form = $("pay-form");
    if (!form) return;
    var button = $("pay-button"), error = $("pay-error"), pts = $("points");
    var value = +box.dataset.pointValue || 0, stripeBox = $("stripe-element"), stripeDone = null;
    function whole() {
      if (+box.dataset.amount) return +box.dataset.amount;
      var dollars = Number(($("amount") || {}).value);
      return Number.isInteger(dollars) && dollars >= 1 && dollars <= 1000000 ? dollars * 100 : 0;
    }
    function usable() {
      var cap = +box.dataset.pointsUsable, amount = whole();
      return amount && !+box.dataset.amount ? Math.min(cap, Math.floor(amount / value)) : cap;
    }
    function points() { return pts ? Math.max(0, Math.floor(Number(pts.value) || 0)) : 0; }
    function showRest() {
      if (!pts) return;
      var amount = whole(), rest = amount - points() * value;
      $("points-rest").textContent = amount ? t("Left to pay: %(amount)s", {amount: twd(Math.max(rest, 0))}) : "";
      $("methods").hidden = amount > 0 && rest <= 0;
    }
    if (pts) {
      pts.addEventListener("input", showRest);
      if ($("amount")) $("amount").addEventListener("input", showRest);
      $("points-all").addEventListener("click", function () { pts.value = usable(); showRest(); });
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (button.disabled) return;
      error.hidden = true;
      if (stripeDone) { stripeDone(); return; }
      var amount = whole();
      if (!amount) {
        var input = $("amount"), fieldError = $("amount-error");
        fieldError.textContent = t("Enter an amount in whole NT dollars, from 1 to 1,000,000."); fieldError.hidden = false;
        input.setAttribute("aria-invalid", "true"); input.focus(); return;
      }
      if ($("amount")) { $("amount-error").hidden = true; $("amount").removeAttribute("aria-invalid"); }
      var used = points();
      if (pts) {
        if (used > usable()) {
          $("points-error").textContent = t("You can use at most %(points)s points here.", {points: usable()}); $("points-error").hidden = false;
          pts.setAttribute("aria-invalid", "true"); pts.focus(); return;
        }
        $("points-error").hidden = true; pts.removeAttribute("aria-invalid");
      }
      var method = used * value >= amount ? null : ((form.querySelector("input[name=method]:checked") || {}).value || null);
      if (!method && used * value < amount) { fail(t("Please pay at the counter.")); return; }
      var attempt = read(storeKey);
      var same = attempt && attempt.amount === amount && attempt.method === method && (attempt.points || 0) === used;
      if (same && attempt.payment_id && !attempt.stripe) { location.assign(attempt.next); return; }
      if (!same) {
        attempt = {key: newKey(), amount: amount, method: method, points: used};
        write(storeKey, attempt);  // before sending: a retry or reload reuses this key
      }
      button.disabled = true; button.textContent = t("Please wait…");
      var body = {shop_id: box.dataset.shop, amount: amount, method: method};
      if (used) body.points = used;
      if (box.dataset.token) body.link_token = box.dataset.token;
      if (box.dataset.order) body.order_id = box.dataset.order;
      var headers = {"Content-Type": "application/json", "Idempotency-Key": attempt.key, "x-csrf-token": box.dataset.csrf};
      if (box.dataset.orderToken) headers["X-Order-Token"] = box.dataset.orderToken;  // the order's key, as on its page
      fetch(used ? "/pay/points" : "/api/payments", {method: "POST", credentials: "same-origin",
        headers: headers, body: JSON.stringify(body)})
        .then(function (r) {
          return r.json().catch(function () { return {}; }).then(function (d) {
            if (!r.ok) {
              var e = d.error || {};
              fail(t("The payment could not start.") + " " + (e.message || ""));
              if (r.status < 500 && r.status !== 409) localStorage.removeItem(storeKey);
              return;
            }
            attempt.payment_id = d.id || "points";
            attempt.next = d.next || (d.next_action_url ? path(d.next_action_url) : d.qr_payload ? "/pay/wallet/" + d.id : "/pay/receipt/" + d.id);
            if (d.client_secret) write("onestreet.paysecret." + d.id, {secret: d.client_secret, order: box.dataset.order || null});
            if (d.provider_client_secret && stripeBox) { attempt.stripe = true; write(storeKey, attempt); mountStripe(d.provider_client_secret, "/pay/receipt/" + d.id); return; }
            write(storeKey, attempt);
            location.assign(attempt.next);
          });
        }, function () { fail(t("We could not reach the payment service. Tap again: you will not be charged twice.")); });
    });
    function fail(msg) { error.textContent = msg; error.hidden = false; button.disabled = false; button.textContent = t("Pay"); }

    function mountStripe(secret, receipt) {
      var s = document.createElement("script");
      s.src = stripeBox.dataset.script;
      s.onerror = function () { fail(t("We could not reach the payment service. Tap again: you will not be charged twice.")); };
      s.onload = function () {
        // The Payment Element where Stripe.js has it; the card Element otherwise (localstripe).
        var stripe = window.Stripe(stripeBox.dataset.key), card = typeof stripe.confirmPayment !== "function";
        var elements = card ? stripe.elements() : stripe.elements({clientSecret: secret});
        var element = elements.create(card ? "card" : "payment");
        stripeBox.hidden = false; element.mount(stripeBox);
        button.disabled = false; button.textContent = t("Pay");
        stripeDone = function () {
          button.disabled = true; button.textContent = t("Please wait…");
          var done = card ? stripe.confirmCardPayment(secret, {payment_method: {card: element}})
            : stripe.confirmPayment({elements: elements, redirect: "if_required", confirmParams: {return_url: new URL(receipt, location.href).href}});
          done.then(function (res) {
            if (res && res.error) { fail(res.error.message || t("Payment failed")); return; }
            location.assign(receipt);
          }, function () { fail(t("Payment failed")); });
        };
      };
      document.head.appendChild(s);
    }
  }

  // Polls the payment's status until `handle` says it is done.
  function statusPoll(id, handle) {
    var kept = read("onestreet.paysecret." + id) || {}, tries = 0;
    var headers = kept.secret ? {"X-Client-Secret": kept.secret} : {};
    function poll() {
      tries += 1;
      fetch("/pay/receipt/" + id + "/status", {credentials: "same-origin", headers: headers, cache: "no-store"})
        .then(function (r) { if (!r.ok) throw r; return r.json(); })
        .then(function (d) { if (!handle(d) && tries < 60) setTimeout(poll, 1500); })
        .catch(function () { if (tries < 60) setTimeout(poll, 3000); });
    }
    poll();
  }

  function showReceipt(d) {
    $("receipt-shop").textContent = d.shop_name;
    $("receipt-amount").textContent = d.amount;
    var title = $("receipt-title"), pts = $("receipt-points");
    if (d.reference_type === "order" && d.reference_id) {
      var link = $("receipt-order"); link.hidden = false; link.firstChild.href = d.order_href || "/orders/" + d.reference_id;
    }
    if (d.points_used) { var used = $("receipt-points-used"); used.hidden = false; used.textContent = t("Points used: %(points)s", {points: d.points_used}); }
    if (d.state === "succeeded") {
      title.textContent = t("Payment received");
      pts.hidden = false;
      if (d.points != null) { pts.textContent = t("Points earned: %(points)s", {points: d.points}); return true; }
      pts.textContent = d.member ? t("Points are on their way to your wallet.") : t("Sign in before paying next time to collect points.");
      return !d.member;
    }
    if (d.state === "failed" || d.state === "cancelled") { title.textContent = t("Payment failed"); return true; }
  }
})();
