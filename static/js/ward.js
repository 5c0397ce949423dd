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
