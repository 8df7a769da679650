// Click-to-load embeds (templates/includes/embed.html): nothing is asked of a provider
// until the reader presses the button, which this script shows and swaps for the frame.
(function () {
  "use strict";
  // One sandbox for every provider: the players need their scripts and their own origin's
  // storage, popups that escape the sandbox for "Watch on YouTube"-style links, and
  // presentation for casting. Left out: top navigation, forms, modals and downloads, so a
  // frame can't take the reader away from the article.
  var SANDBOX = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation";
  var ALLOW = "encrypted-media; fullscreen; picture-in-picture";

  function load(consent, button) {
    var src = button.dataset.frameSrc;
    if (new URL(src, location.href).protocol !== "https:") return;
    var frame = document.createElement("iframe");
    frame.className = "embed__frame";
    frame.src = src;
    frame.title = button.dataset.frameTitle;
    frame.setAttribute("allow", ALLOW);
    frame.setAttribute("sandbox", SANDBOX);
    // YouTube's player refuses to play without the page's origin as its referrer.
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    // data-aspect is a CSS aspect-ratio ("16 / 9") or a fixed height ("166px"); set
    // through the CSSOM, which a Content-Security-Policy allows where style="" isn't.
    var aspect = button.dataset.aspect;
    if (/px$/.test(aspect)) frame.style.height = aspect;
    else frame.style.aspectRatio = aspect;
    consent.replaceWith(frame);
    // The button had focus; keep keyboard and screen reader users where they were.
    frame.focus();
  }

  document.querySelectorAll(".embed__consent").forEach(function (consent) {
    var button = consent.querySelector(".embed__load");
    button.addEventListener("click", function () { load(consent, button); });
    consent.hidden = false;
  });
})();
