// Sprintback: the copy button beside the calendar address on an athlete's page.
// Without this script the button stays hidden and the address is still there to select.
(function () {
  "use strict";
  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  var buttons = document.querySelectorAll("button[data-copy]");
  for (var i = 0; i < buttons.length; i++) {
    (function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentNode.querySelector(".copy-status");
      if (!source) {
        return;
      }
      function tell(text) {
        if (status) {
          status.textContent = text;
        }
      }
      button.addEventListener("click", function () {
        var text = source.textContent.trim();
        // The clipboard API needs a secure context (https or localhost); otherwise select the address to copy by hand.
        if (!navigator.clipboard || !navigator.clipboard.writeText) {
          selectText(source);
          tell(button.getAttribute("data-failed"));
          return;
        }
        navigator.clipboard.writeText(text).then(
          function () {
            tell(button.getAttribute("data-copied"));
          },
          function () {
            selectText(source);
            tell(button.getAttribute("data-failed"));
          }
        );
      });
      button.hidden = false;
    })(buttons[i]);
  }
})();
