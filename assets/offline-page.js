// The offline page's own text (English or Polish, as the player chose) and its retry button.
(function () {
  "use strict";
  var TEXT = {
    en: {
      heading: "You are offline",
      body: "This page needs a connection. Your balance and tickets are safe on our server.",
      retry: "Try again", lobby: "Lobby", footer: "Play responsibly. 18+ only.",
      title: "Offline · Kasyno Lotto",
    },
    pl: {
      heading: "Jesteś offline",
      body: "Ta strona potrzebuje połączenia. Twoje saldo i kupony są bezpieczne na naszym serwerze.",
      retry: "Spróbuj ponownie", lobby: "Lobby", footer: "Graj odpowiedzialnie. Tylko 18+.",
      title: "Offline · Kasyno Lotto",
    },
  };
  document.addEventListener("DOMContentLoaded", function () {
    var lang = window.kasynoTickets ? window.kasynoTickets.lang() : "en";
    var text = TEXT[lang] || TEXT.en;
    document.documentElement.lang = lang;
    document.title = text.title;
    document.querySelectorAll("[data-t]").forEach(function (node) {
      var value = text[node.getAttribute("data-t")];
      if (value) node.textContent = value;
    });
    document.getElementById("offline-retry").addEventListener("click", function () {
      window.location.reload();
    });
  });
})();
