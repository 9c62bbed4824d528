// Session clocks: any element with data-elapsed-since="<ISO time>" shows the time played since then.
(function () {
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function render() {
    document.querySelectorAll("[data-elapsed-since]").forEach(function (el) {
      var since = Date.parse(el.getAttribute("data-elapsed-since"));
      if (isNaN(since)) return;
      var s = Math.max(0, Math.floor((Date.now() - since) / 1000));
      var text = (s >= 3600 ? Math.floor(s / 3600) + ":" + pad(Math.floor(s / 60) % 60) : Math.floor(s / 60)) + ":" + pad(s % 60);
      if (el.textContent !== text) el.textContent = text;
    });
  }
  setInterval(render, 500);
  document.addEventListener("DOMContentLoaded", render);
})();
