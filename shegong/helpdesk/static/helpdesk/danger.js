// Show the emergency numbers as soon as a danger word is typed. The server checks the same
// words on submit, so the page works the same without JavaScript.
(function () {
  "use strict";
  var box = document.getElementById("emergency");
  var field = document.querySelector("[data-danger-words]");
  if (!box || !field) return;
  var words = field.dataset.dangerWords.split("|");
  field.addEventListener("input", function () {
    var text = field.value.toLowerCase();
    if (words.some(function (w) { return w && text.indexOf(w) !== -1; })) box.hidden = false;
  });
})();
