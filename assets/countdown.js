// Live countdowns: any element with data-countdown="<ISO time>" shows mm:ss until then.
// A page that sends the server's clock (data-server-now="<ISO time>") counts down on server
// time: the difference to this device's clock is taken when that value arrives.
(function () {
  var offset = 0, serverNow = null;
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function syncClock() {
    var el = document.querySelector("[data-server-now]");
    var value = el && el.getAttribute("data-server-now");
    if (!value || value === serverNow) return;
    var at = Date.parse(value);
    if (isNaN(at)) return;
    serverNow = value;
    offset = at - Date.now();
  }
  function render() {
    syncClock();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var deadline = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(deadline)) return;
      var left = Math.max(0, Math.round((deadline - (Date.now() + offset)) / 1000));
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
