// Read the page aloud with the phone's own speech synthesis (no service of another host).
// The main content is read in document order, block by block, each block in the language it
// is marked with (an English page quoting a Chinese service name reads it with a Chinese voice).
// Where the phone has no voice for the page's language the button says so, rather than
// pretending to read. The button stays hidden where the browser cannot speak at all, and the
// page works without it.
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || !("SpeechSynthesisUtterance" in window)) return;
  var synth = window.speechSynthesis;
  var BLOCKS = "h1,h2,h3,h4,p,li,dt,dd,legend,label,summary,th,td,caption,figcaption,blockquote,a.button,button";
  var SKIP = "script,style,template,[data-read-aloud-skip],[aria-hidden=true],[hidden]";

  function visible(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  // Blocks of text in order: the innermost block elements, with their language.
  function chunks(root, fallbackLang) {
    var found = [];
    var blocks = root.querySelectorAll(BLOCKS);
    blocks.forEach(function (el) {
      if (el.closest(SKIP) || !visible(el)) return;
      // A block inside another block is read with its parent (a link inside a paragraph).
      var outer = el.parentElement && el.parentElement.closest(BLOCKS);
      if (outer && root.contains(outer) && outer !== root) return;
      var text = el.innerText.replace(/\s+/g, " ").trim();
      if (!text) return;
      var marked = el.closest("[lang]");
      var lang = marked ? marked.getAttribute("lang") : fallbackLang;
      found.push({ text: text, lang: lang.toLowerCase().indexOf("zh") === 0 ? "zh-CN" : "en-US" });
    });
    if (!found.length && root.innerText.trim()) {
      found.push({ text: root.innerText, lang: fallbackLang === "en" ? "en-US" : "zh-CN" });
    }
    return found;
  }

  function voiceFor(voices, lang) {
    var prefix = lang.slice(0, 2).toLowerCase();
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").toLowerCase().replace("_", "-").indexOf(prefix) === 0) return voices[i];
    }
    return null;
  }

  // Voices arrive late on some phones: wait for them a moment before saying there are none.
  function withVoices(callback) {
    var voices = synth.getVoices();
    if (voices.length) { callback(voices); return; }
    var done = false;
    function finish() {
      if (done) return;
      done = true;
      callback(synth.getVoices());
    }
    synth.addEventListener("voiceschanged", finish, { once: true });
    window.setTimeout(finish, 1500);
  }

  document.querySelectorAll("[data-read-aloud]").forEach(function (button) {
    var label = button.textContent;
    var status = button.parentElement.querySelector(".read-aloud-status");
    var pageLang = button.dataset.lang || "zh";
    button.hidden = false;

    function say(text) {
      button.textContent = text;
      if (status) status.textContent = text === label ? "" : text;
    }

    button.addEventListener("click", function () {
      if (synth.speaking || synth.pending) {
        synth.cancel();
        say(label);
        return;
      }
      withVoices(function (voices) {
        if (!voiceFor(voices, pageLang)) {
          say(button.dataset.labelNoVoice);
          return;
        }
        var target = document.querySelector(button.dataset.readAloud) || document.querySelector("main");
        var parts = chunks(target, pageLang);
        parts.forEach(function (part, index) {
          var utterance = new SpeechSynthesisUtterance(part.text);
          utterance.lang = part.lang;
          var voice = voiceFor(voices, part.lang);
          if (voice) utterance.voice = voice;
          utterance.rate = 0.9;
          if (index === parts.length - 1) utterance.onend = function () { say(label); };
          utterance.onerror = function (event) {
            if (event.error === "language-unavailable" || event.error === "voice-unavailable") {
              synth.cancel();
              say(button.dataset.labelNoVoice);
            } else if (event.error !== "interrupted" && event.error !== "canceled") {
              say(label);
            }
          };
          synth.speak(utterance);
        });
        say(button.dataset.labelStop);
      });
    });
  });
})();
