// The ward pages on a hand-out point's bad connection: say when a tap did not come back, so the officer taps again.
// Tapping again is safe: the form keeps its one-time key, and the server answers a repeated key with the hand-out it
// already recorded instead of recording a second one.
(function () {
  "use strict";

  function alertBox() {
    let box = document.getElementById("ward-alert");
    if (!box) {
      box = document.createElement("p");
      box.id = "ward-alert";
      box.className = "message error";
      box.setAttribute("role", "alert");
      box.hidden = true;
      box.title = "Chạm để đóng";
      box.addEventListener("click", function () {
        box.hidden = true;
      });
      const main = document.querySelector("main.page");
      if (main) main.prepend(box);
    }
    return box;
  }

  function show(text) {
    const box = alertBox();
    box.textContent = text;
    box.hidden = false;
  }

  document.addEventListener("htmx:beforeRequest", function () {
    const box = document.getElementById("ward-alert");
    if (box) box.hidden = true;
  });

  // A hand-out's answer is never overwritten by a search sent before it came back: that search read the list before
  // the bag was recorded, and its answer would show the household without "Đã nhận túi" and offer "Trao túi" again.
  // A hand-out aborts the searches in flight; a search's answer is dropped while a hand-out is on its way, and when
  // the search was sent before the last hand-out's answer arrived. The clock only orders these events.
  let clock = 0;
  let handOutsInFlight = 0;
  let lastHandOutAnswered = 0;
  const searchSentAt = new WeakMap();

  function isHandOut(elt) {
    return elt instanceof Element && elt.matches("form.hand-out");
  }

  function isSearch(elt) {
    return elt instanceof Element && elt.matches("form[role=search]");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    const detail = event.detail;
    if (isHandOut(detail.elt)) {
      handOutsInFlight += 1;
      // loadend follows the answer's swap, an error, an abort or a timeout alike, even once the form left the page.
      detail.xhr.addEventListener("loadend", function () {
        handOutsInFlight -= 1;
        clock += 1;
        lastHandOutAnswered = clock;
      });
      document.querySelectorAll("form[role=search]").forEach(function (form) {
        htmx.trigger(form, "htmx:abort");
      });
    } else if (isSearch(detail.elt)) {
      clock += 1;
      searchSentAt.set(detail.xhr, clock);
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    const detail = event.detail;
    if (!isSearch(detail.elt)) return;
    const sentAt = searchSentAt.get(detail.xhr) || 0;
    if (handOutsInFlight > 0 || sentAt < lastHandOutAnswered) detail.shouldSwap = false;
  });

  document.addEventListener("htmx:sendError", function () {
    show("Không nhận được trả lời từ máy chủ (mạng yếu?). Hãy bấm lại: lượt trao không bị ghi hai lần.");
  });

  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr ? event.detail.xhr.status : "";
    if (status === 403) {
      show("Phiên làm việc đã hết hạn hoặc không có quyền. Hãy tải lại trang và đăng nhập lại.");
    } else {
      show("Máy chủ báo lỗi (" + status + "). Hãy tải lại trang rồi thử lại.");
    }
  });
})();
