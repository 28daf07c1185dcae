// Sprintback: marks check-ins whose day has passed against the viewer's date.
// The build has no clock, so only the browser knows "today"; without this script
// the page still lists every due date.
(function () {
  "use strict";
  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }
  var now = new Date();
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  var cells = document.querySelectorAll("[data-due]");
  for (var i = 0; i < cells.length; i++) {
    var cell = cells[i];
    // ISO dates compare as text; the due day itself is not yet overdue.
    if (cell.getAttribute("data-due") < today) {
      cell.classList.add("overdue");
      var label = cell.querySelector(".overdue-label");
      if (label) {
        label.hidden = false;
      }
    }
  }
})();
