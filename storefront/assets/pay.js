// Scan-to-pay. One attempt = one Idempotency-Key, written to localStorage before the request
// leaves: a double tap finds the button disabled, a reload or a retry after a dropped
// connection sends the same key (the server answers with the same payment), and once the
// payment exists the page offers to continue it instead of starting another.
(function () {
  "use strict";
  var T = JSON.parse((document.getElementById("strings") || {}).textContent || "{}");
  var t = function (k, v) { var s = T[k] || k; for (var n in v || {}) s = s.replace("%(" + n + ")s", v[n]); return s; };
  var read = function (k) { try { return JSON.parse(localStorage.getItem(k)); } catch (e) { return null; } };
  var write = function (k, v) { localStorage.setItem(k, JSON.stringify(v)); };
  var newKey = function () { return crypto.randomUUID ? crypto.randomUUID() : "k" + Date.now().toString(36) + Math.random().toString(36).slice(2); };
  var path = function (url) { try { return new URL(url, location.href).pathname; } catch (e) { return url; } };

  var box = document.getElementById("pay");
  if (box) payPage(box);
  var receipt = document.getElementById("receipt");
  if (receipt) receiptPage(receipt);

  function payPage(box) {
    var storeKey = "onestreet.pay." + box.dataset.storeKey;
    var saved = read(storeKey);
    if (saved && saved.payment_id) {
      document.getElementById("resume").hidden = false;
      document.getElementById("resume-link").href = saved.next;
    }
    var form = document.getElementById("pay-form");
    if (!form) return;
    var button = document.getElementById("pay-button"), error = document.getElementById("pay-error");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (button.disabled) return;
      error.hidden = true;
      var amount = +box.dataset.amount;
      if (!amount) {
        var input = document.getElementById("amount"), fieldError = document.getElementById("amount-error");
        var dollars = Number(input.value);
        if (!Number.isInteger(dollars) || dollars < 1 || dollars > 1000000) {
          fieldError.textContent = t("Enter an amount in whole NT dollars, from 1 to 1,000,000."); fieldError.hidden = false;
          input.setAttribute("aria-invalid", "true"); input.focus(); return;
        }
        fieldError.hidden = true; input.removeAttribute("aria-invalid");
        amount = dollars * 100;
      }
      var method = (form.querySelector("input[name=method]:checked") || {}).value || "sandbox";
      var attempt = read(storeKey);
      if (attempt && attempt.payment_id && attempt.amount === amount && attempt.method === method) { location.assign(attempt.next); return; }
      if (!attempt || attempt.amount !== amount || attempt.method !== method) {
        attempt = {key: newKey(), amount: amount, method: method};
        write(storeKey, attempt);  // before sending: a retry or reload reuses this key
      }
      button.disabled = true; button.textContent = t("Please wait…");
      var body = {shop_id: box.dataset.shop, amount: amount, method: method};
      if (box.dataset.token) body.link_token = box.dataset.token;
      if (box.dataset.order) body.order_id = box.dataset.order;
      fetch("/api/payments", {method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "Idempotency-Key": attempt.key, "x-csrf-token": box.dataset.csrf}, body: JSON.stringify(body)})
        .then(function (r) {
          return r.json().catch(function () { return {}; }).then(function (d) {
            if (!r.ok) {
              var e = d.error || {};
              fail(t("The payment could not start.") + " " + (e.message || ""));
              if (r.status < 500 && r.status !== 409) localStorage.removeItem(storeKey);
              return;
            }
            attempt.payment_id = d.id;
            attempt.next = d.next_action_url ? path(d.next_action_url) : "/pay/receipt/" + d.id;
            write(storeKey, attempt);
            if (d.client_secret) write("onestreet.paysecret." + d.id, {secret: d.client_secret, order: box.dataset.order || null});
            location.assign(attempt.next);
          });
        }, function () { fail(t("We could not reach the payment service. Tap again: you will not be charged twice.")); });
    });
    function fail(msg) { error.textContent = msg; error.hidden = false; button.disabled = false; button.textContent = t("Pay"); }
  }

  function receiptPage(box) {
    var id = box.dataset.payment, kept = read("onestreet.paysecret." + id) || {}, tries = 0;
    var headers = kept.secret ? {"X-Client-Secret": kept.secret} : {};
    function poll() {
      tries += 1;
      fetch("/pay/receipt/" + id + "/status", {credentials: "same-origin", headers: headers, cache: "no-store"})
        .then(function (r) { if (!r.ok) throw r; return r.json(); })
        .then(function (d) {
          document.getElementById("receipt-shop").textContent = d.shop_name;
          document.getElementById("receipt-amount").textContent = d.amount;
          var title = document.getElementById("receipt-title"), pts = document.getElementById("receipt-points");
          if (d.reference_type === "order" && d.reference_id) {
            var link = document.getElementById("receipt-order"); link.hidden = false; link.firstChild.href = d.order_href || "/orders/" + d.reference_id;
          }
          if (d.state === "succeeded") {
            title.textContent = t("Payment received");
            pts.hidden = false;
            if (d.points != null) { pts.textContent = t("Points earned: %(points)s", {points: d.points}); return; }
            pts.textContent = d.member ? t("Points are on their way to your wallet.") : t("Sign in before paying next time to collect points.");
            if (!d.member) return;
          } else if (d.state === "failed" || d.state === "cancelled") { title.textContent = t("Payment failed"); return; }
          if (tries < 60) setTimeout(poll, 1500);
        })
        .catch(function () { if (tries < 60) setTimeout(poll, 3000); });
    }
    poll();
  }
})();
