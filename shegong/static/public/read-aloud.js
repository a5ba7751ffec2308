// Read the page aloud with the phone's own speech synthesis (no service of another host).
// The button stays hidden where the browser cannot speak, and the page works without it.
(function () {
  "use strict";
  if (!("speechSynthesis" in window)) return;
  document.querySelectorAll("[data-read-aloud]").forEach(function (button) {
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (window.speechSynthesis.speaking) {
        window.speechSynthesis.cancel();
        button.textContent = label;
        return;
      }
      var target = document.querySelector(button.dataset.readAloud) || document.querySelector("main");
      var utterance = new SpeechSynthesisUtterance(target.innerText);
      utterance.lang = button.dataset.lang || "zh-CN";
      utterance.rate = 0.9;
      utterance.onend = function () { button.textContent = label; };
      button.textContent = button.dataset.labelStop;
      window.speechSynthesis.speak(utterance);
    });
  });
})();
