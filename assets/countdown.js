// Live countdowns: any element with data-countdown="<ISO time>" shows mm:ss until then.
(function () {
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function render() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var deadline = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(deadline)) return;
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var text = left === 0 ? "closed" :
        (left >= 3600 ? Math.floor(left / 3600) + ":" + pad(Math.floor(left / 60) % 60) : Math.floor(left / 60)) +
        ":" + pad(left % 60);
      if (el.textContent !== text) el.textContent = text;
    });
  }
  // Four times a second: React may repaint the fallback text after hydration.
  setInterval(render, 250);
  document.addEventListener("DOMContentLoaded", render);
})();
