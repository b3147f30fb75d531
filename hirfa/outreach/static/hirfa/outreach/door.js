/* The door page: reads a card's QR code with the phone's camera (the browser's
 * BarcodeDetector, else the verify page's jsQR) and posts it to the check-in form, where
 * the server verifies the card as the card verifier does. */
(function () {
  "use strict";

  const button = document.getElementById("door-camera");
  const form = document.getElementById("door-check-in");
  if (!button || !form || !navigator.mediaDevices) return;
  const video = document.getElementById("door-video");
  const stop = document.getElementById("door-camera-stop");
  const failed = document.getElementById("door-camera-failed");
  const field = form.querySelector("[name=qr_text]");
  const canvas = document.createElement("canvas");
  const native = "BarcodeDetector" in window ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
  let stream = null;

  button.hidden = false;

  function stopCamera() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    stop.hidden = true;
  }

  async function codeIn() {
    if (native) {
      try {
        const codes = await native.detect(video);
        if (codes.length) return codes[0].rawValue;
      } catch (error) {
        // Fall through to jsQR.
      }
    }
    if (!window.jsQR || !video.videoWidth) return null;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    const code = window.jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "dontInvert" });
    return code ? code.data : null;
  }

  async function scan() {
    while (stream) {
      if (video.readyState >= 2) {
        const text = await codeIn();
        if (text && stream) {
          stopCamera();
          field.value = text;
          form.submit();
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }

  button.addEventListener("click", async () => {
    stopCamera();
    failed.hidden = true;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      video.srcObject = stream;
      video.hidden = false;
      stop.hidden = false;
      await video.play();
    } catch (error) {
      stopCamera();
      failed.hidden = false;
      return;
    }
    scan();
  });
  stop.addEventListener("click", stopCamera);
})();
