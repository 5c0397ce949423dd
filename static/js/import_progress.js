// A large list takes seconds to read and check before its preview: while the browser waits for it, the upload's
// page asks every second how far the check is (the form's data-progress-url) and shows the answer in the form's
// data-progress-box, without inline scripts, so a strict CSP can forbid them.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var url = form.getAttribute && form.getAttribute("data-progress-url");
    var box = url && document.getElementById(form.getAttribute("data-progress-box"));
    if (!box || event.defaultPrevented) return;
    box.hidden = false;
    window.setInterval(function () {
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) box.innerHTML = html; })
        .catch(function () { /* the next second asks again */ });
    }, 1000);
  });
})();
