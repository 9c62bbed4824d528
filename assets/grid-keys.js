// Arrow keys in a number grid (#number-grid on the lotto play page): Left/Right move to the
// previous/next number, Up/Down to the one above/below in the same column, Home/End to the
// first/last. Enter and Space still pick (the buttons' own behaviour); Tab still leaves.
(function () {
  var MOVES = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: "up", ArrowDown: "down", Home: "home", End: "end" };
  function columns(buttons) {
    var top = buttons[0].offsetTop, n = 0;
    while (n < buttons.length && buttons[n].offsetTop === top) n++;
    return Math.max(1, n);
  }
  function target(buttons, index, move) {
    if (move === "home") return 0;
    if (move === "end") return buttons.length - 1;
    var step = move === "up" ? -columns(buttons) : move === "down" ? columns(buttons) : move;
    var next = index + step;
    return next >= 0 && next < buttons.length ? next : index;
  }
  document.addEventListener("keydown", function (event) {
    var move = MOVES[event.key];
    if (move === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    var grid = event.target.closest && event.target.closest("#number-grid");
    if (!grid) return;
    var buttons = Array.prototype.slice.call(grid.querySelectorAll("[data-number]"));
    var index = buttons.indexOf(event.target.closest("[data-number]"));
    if (index < 0) return;
    event.preventDefault();
    buttons[target(buttons, index, move)].focus();
  });
})();
