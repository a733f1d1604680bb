// Scanning a voucher's QR code at the counter, where the browser has BarcodeDetector (Chrome on
// Android, most kiosks). Without it the button stays hidden and staff type the code. A scan only
// fills the code field and submits the same form, so the server decides and words every answer.
(function () {
  "use strict";
  var button = document.getElementById("scan");
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var T = JSON.parse(document.getElementById("strings").textContent);
  var form = document.getElementById("redeem"), field = document.getElementById("code");
  var video = document.getElementById("camera"), status = document.getElementById("scan-status");
  var label = button.textContent, stream = null, timer = null;
  var detector = new window.BarcodeDetector({formats: ["qr_code"]});
  button.hidden = false;

  function stop() {
    clearTimeout(timer);
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null; video.hidden = true; button.textContent = label; status.textContent = "";
  }
  function look() {
    if (!stream) return;
    detector.detect(video).then(function (found) {
      if (found.length && found[0].rawValue) {
        field.value = found[0].rawValue; stop(); form.submit(); return;
      }
      timer = setTimeout(look, 250);
    }, function () { timer = setTimeout(look, 500); });
  }
  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false}).then(function (s) {
      stream = s; video.srcObject = s; video.hidden = false; video.play();
      button.textContent = T["Stop scanning"]; status.textContent = T["Point the camera at the voucher's QR code."];
      look();
    }, function () { status.textContent = T["The camera could not be opened; type the code instead."]; field.focus(); });
  });
})();
