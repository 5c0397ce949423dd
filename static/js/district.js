// District pages: small helpers that work without inline scripts, so a strict CSP can forbid them.
(function () {
  "use strict";

  // A button marked data-print prints the page (the bag labels).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  // A form marked data-once sends once: a double click or an impatient second tap does not post it again.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.sent === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    // Disabled after the submit has started, so the clicked button's value still travels with the form.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
    }, 0);
  });

  // "Select all" checks every household box on the page.
  document.addEventListener("change", function (event) {
    var master = event.target;
    var name = master.getAttribute && master.getAttribute("data-check-all");
    if (!name) return;
    master.form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = master.checked;
    });
  });

  // The allocation plan shows its total against the district's stock as the numbers are typed.
  function planTotal(form) {
    var total = 0;
    form.querySelectorAll('input[type=number][name^="ward_"]').forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (value > 0) total += value;
    });
    var out = document.getElementById("plan-total");
    var stock = document.getElementById("stock");
    if (!out) return;
    out.textContent = total.toLocaleString("vi-VN");
    if (stock) out.classList.toggle("errors", total > parseInt(stock.dataset.stock, 10));
  }
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-plan")) planTotal(form);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-plan]");
    if (form) planTotal(form);
  });
})();
