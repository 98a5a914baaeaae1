// Réservations: conveniences only — the page works the same without them.
(function () {
  "use strict";

  var form = document.querySelector(".reservations-form");
  if (!form) return;

  // Above each week's table, « Tout cocher » for each row (a child and an activity) that
  // has days to book: a second click unticks them. Kept out of the table so that its row
  // headers still read as the child and the activity alone.
  form.querySelectorAll(".booking-table").forEach(function (table) {
    var bar = null;
    table.querySelectorAll("th[data-row-label]").forEach(function (head) {
      var boxes = head.parentElement.querySelectorAll("input[data-book]");
      if (!boxes.length) return;
      if (!bar) {
        bar = document.createElement("div");
        bar.className = "check-rows";
        var title = document.createElement("span");
        title.textContent = "Tout cocher pour la semaine :";
        bar.appendChild(title);
        table.parentElement.insertAdjacentElement("beforebegin", bar);
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-secondary btn-sm";
      button.textContent = head.dataset.rowLabel;
      var context = document.createElement("span");
      context.className = "visually-hidden";
      context.textContent = " : tout cocher, " + table.caption.textContent.toLowerCase();
      button.appendChild(context);
      button.addEventListener("click", function () {
        var all = Array.prototype.every.call(boxes, function (box) { return box.checked; });
        boxes.forEach(function (box) { box.checked = !all; });
        count();
      });
      bar.appendChild(button);
    });
  });

  // How many days are ticked, next to the submit button.
  var status = document.createElement("span");
  status.setAttribute("role", "status");
  form.querySelector(".submit-bar").appendChild(status);
  function count() {
    var n = form.querySelectorAll("input[name=choix]:checked").length;
    status.textContent = n ? n + (n > 1 ? " jours cochés" : " jour coché") : "";
  }
  form.addEventListener("change", count);
})();
