// The money pages' few behaviours, kept out of the HTML so a strict Content-Security-Policy can forbid inline script.
// - the donor field is a combobox: htmx fills the option list as staff type; ↓ ↑ move, Enter or a click chooses,
//   Escape closes; choosing "add new" opens the new-donor fields instead;
// - the method radios show the amount field or the bags field;
// - forms marked data-once disable their button once sent (the server's one-time key is what really protects);
// - buttons marked data-print print the page.
(function () {
  "use strict";

  function setupDonorCombobox(box) {
    var input = box.querySelector("[role=combobox]");
    var list = box.querySelector("[role=listbox]");
    var hidden = box.querySelector("input[type=hidden][name=donor]");
    var status = box.querySelector("#donor-chosen");
    var form = input.form;
    var newDonor = form.querySelector("#new-donor");
    var newDonorCheck = form.querySelector("input[name=new_donor]");
    var active = -1;

    function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }

    function open(show) {
      list.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
      if (!show) { highlight(-1); }
    }

    function highlight(index) {
      var items = options();
      active = index;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function showNewDonor(show) {
      if (!newDonor) { return; }
      newDonor.hidden = !show;
      if (newDonorCheck) { newDonorCheck.checked = show; }
    }

    function choose(item) {
      if (!item) { return; }
      input.value = item.getAttribute("data-label");
      if (item.hasAttribute("data-new-donor")) {
        hidden.value = "";
        showNewDonor(true);
        status.textContent = "Nhà hảo tâm mới: điền thêm loại, đơn vị, số điện thoại nếu có.";
        open(false);
        var kind = newDonor && newDonor.querySelector("select");
        if (kind) { kind.focus(); }
      } else {
        hidden.value = item.getAttribute("data-donor-id");
        showNewDonor(false);
        status.textContent = "Đã chọn: " + item.textContent.replace(/\s+/g, " ").trim();
        open(false);
        var next = form.querySelector("input[name=amount]");
        if (next && !next.closest("[hidden]")) { next.focus(); }
      }
    }

    input.addEventListener("input", function () {
      // The typed name no longer names the donor chosen before: staff must choose again.
      hidden.value = "";
      status.textContent = "Gõ vài chữ của tên rồi chọn trong danh sách.";
    });

    input.addEventListener("keydown", function (event) {
      var items = options();
      var isOpen = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!isOpen && items.length) { open(true); }
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        if (isOpen) {
          event.preventDefault();
          choose(items[active >= 0 ? active : 0]);
        } else if (!hidden.value && !(newDonorCheck && newDonorCheck.checked)) {
          event.preventDefault();  // no donor chosen yet: Enter here would only send an incomplete form
        }
      } else if (event.key === "Escape" && isOpen) {
        event.preventDefault();
        open(false);
      }
    });

    input.addEventListener("blur", function () {
      // Let a click on an option land before the list closes.
      window.setTimeout(function () { if (document.activeElement !== input) { open(false); } }, 200);
    });

    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) { choose(event.target.closest("[role=option]")); });

    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target !== list) { return; }
      var items = options();
      open(items.length > 0 && document.activeElement === input);
      highlight(items.length ? 0 : -1);
    });
  }

  function setupMethods(form) {
    var radios = form.querySelectorAll("input[name=method]");
    var amount = form.querySelector("#amount-field");
    var bags = form.querySelector("#bags-field");
    if (!radios.length || !amount || !bags) { return; }
    function update() {
      var chosen = form.querySelector("input[name=method]:checked");
      var inKind = chosen && chosen.value === "in_kind";
      amount.hidden = inKind;
      bags.hidden = !inKind;
    }
    Array.prototype.forEach.call(radios, function (radio) { radio.addEventListener("change", update); });
    update();
  }

  function setupOnce(form) {
    form.addEventListener("submit", function () {
      var buttons = form.querySelectorAll("button[type=submit]");
      // Disabled after this tick, so the button's own value still goes with the form.
      window.setTimeout(function () {
        Array.prototype.forEach.call(buttons, function (button) { button.disabled = true; });
      }, 0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-donor-combobox]"), setupDonorCombobox);
    var donation = document.getElementById("donation-form");
    if (donation) { setupMethods(donation); }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-once]"), setupOnce);
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
