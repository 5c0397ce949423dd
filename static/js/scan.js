// The "Quét" buttons: read a QR code (a bag's label, a CCCD) with the phone's camera and send it to the server.
//
// Where the browser has BarcodeDetector (Chrome on Android), the camera is opened here and the code read on the
// phone: its text goes into the form's field named by data-scan-into, and the form is sent. Elsewhere the button
// opens the phone's camera through the form's photo input (capture=environment), and the photo is sent for the
// server to read. Both end in the same form and the same server action. Nothing read is kept on the phone: the
// field is emptied once the answer came back. Without JavaScript the photo input and its button show as they are.
(function () {
  "use strict";

  const FRAME_MS = 200;
  let detectorReady = null;

  function detector() {
    if (detectorReady) return detectorReady;
    detectorReady = Promise.resolve(null);
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return detectorReady;
    }
    detectorReady = window.BarcodeDetector.getSupportedFormats()
      .then(function (formats) {
        return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
      })
      .catch(function () {
        return null;
      });
    return detectorReady;
  }

  function send(form) {
    const submitter = form.querySelector("[data-scan-submit]");
    if (submitter) form.requestSubmit(submitter);
    else form.requestSubmit();
  }

  // The camera's view, with a button to close it; one at a time.
  function cameraDialog() {
    let dialog = document.getElementById("scan-camera");
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.id = "scan-camera";
    dialog.className = "scan-camera";
    dialog.setAttribute("aria-label", "Quét mã QR bằng máy ảnh");
    const video = document.createElement("video");
    video.setAttribute("playsinline", "");
    video.muted = true;
    const hint = document.createElement("p");
    hint.textContent = "Đưa mã QR vào giữa khung hình.";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Đóng";
    close.addEventListener("click", function () {
      dialog.close();
    });
    dialog.append(video, hint, close);
    document.body.append(dialog);
    return dialog;
  }

  function scanWithCamera(button, found) {
    const dialog = cameraDialog();
    const video = dialog.querySelector("video");
    let stream = null;
    let timer = null;
    function stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
      video.srcObject = null;
    }
    dialog.addEventListener("close", stop, { once: true });
    dialog.showModal();
    detector().then(function (reader) {
      return navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          return video.play();
        })
        .then(function () {
          function look() {
            if (!stream) return;
            reader.detect(video).then(function (codes) {
              if (codes.length && stream) {
                const text = codes[0].rawValue;
                dialog.close();
                found(text);
              } else {
                timer = setTimeout(look, FRAME_MS);
              }
            }, function () {
              timer = setTimeout(look, FRAME_MS);
            });
          }
          look();
        });
    }).catch(function () {
      dialog.close();
      // No camera, or permission refused: the photo path still works.
      const photo = button.form && button.form.querySelector("[data-scan-photo]");
      if (photo) photo.click();
    });
  }

  function setUp(button) {
    const form = button.form;
    const photo = form.querySelector("[data-scan-photo]");
    form.querySelectorAll("[data-scan-nojs]").forEach(function (elt) { elt.hidden = true; });
    if (photo) {
      photo.hidden = true;
      const label = form.querySelector("label[for='" + photo.id + "']");
      if (label) label.hidden = true;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      detector().then(function (reader) {
        if (reader) {
          scanWithCamera(button, function (text) {
            form.querySelector(button.dataset.scanInto).value = text;
            send(form);
          });
        } else if (photo) {
          photo.click();
        }
      });
    });
  }

  function ready(root) {
    root.querySelectorAll("button[data-scan-camera]").forEach(function (button) {
      if (!button.dataset.scanReady) {
        button.dataset.scanReady = "1";
        setUp(button);
      }
    });
  }

  // A photo chosen is sent at once: one tap to scan, as with the camera.
  document.addEventListener("change", function (event) {
    const input = event.target;
    if (input.matches && input.matches("[data-scan-photo]") && input.files && input.files.length) send(input.form);
  });

  // Once the server answered, the scanner is ready for the next person: the code and the photo are forgotten.
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt;
    if (form instanceof HTMLFormElement && form.querySelector("[data-scan-photo]")) {
      form.querySelectorAll("[data-scan-photo], [data-scan-value]").forEach(function (input) { input.value = ""; });
    }
  });

  document.addEventListener("DOMContentLoaded", function () { ready(document); });
  document.addEventListener("htmx:load", function (event) { ready(event.detail.elt); });
})();
