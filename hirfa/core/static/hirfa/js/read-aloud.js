// "Read this page to me": the page's main text spoken by the browser's speech synthesis
// (Web Speech API), in the page's language. The button stays hidden on a device that has
// no voice for that language (often Tamazight), or no speech synthesis at all.
(function () {
  "use strict";
  const button = document.getElementById("read-aloud");
  const speech = window.speechSynthesis;
  if (!button || !speech || typeof SpeechSynthesisUtterance === "undefined") return;
  const language = (document.documentElement.lang || "").toLowerCase();
  const label = button.querySelector("span");
  let voice = null;

  function findVoice() {
    const voices = speech.getVoices();
    voice =
      voices.find((v) => v.lang.toLowerCase() === language) ||
      voices.find((v) => v.lang.toLowerCase().split(/[-_]/)[0] === language) ||
      null;
    button.hidden = voice === null;
  }

  function mainText() {
    const main = document.getElementById("main");
    const marked = main.querySelectorAll("[data-read-aloud]");
    const parts = marked.length ? [...marked] : [main];
    return parts
      .map((part) => part.innerText)
      .join("\n")
      .replace(label.textContent, "")
      .trim();
  }

  function reading(on) {
    label.textContent = on ? button.dataset.stop : button.dataset.read;
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }

  button.addEventListener("click", () => {
    if (speech.speaking) {
      speech.cancel();
      reading(false);
      return;
    }
    const utterance = new SpeechSynthesisUtterance(mainText());
    utterance.lang = voice ? voice.lang : language;
    if (voice) utterance.voice = voice;
    utterance.rate = 0.9;
    utterance.onend = () => reading(false);
    utterance.onerror = () => reading(false);
    reading(true);
    speech.speak(utterance);
  });

  findVoice();
  speech.addEventListener("voiceschanged", findVoice);
})();
