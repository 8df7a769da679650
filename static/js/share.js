// Progressive enhancement: the share links work without JavaScript. Where the
// browser offers them, add "Copy link" (Clipboard API) and "Share…" (Web Share API,
// the device's own share sheet).
(function () {
  "use strict";
  var status = document.querySelector(".share__status");

  var copy = document.querySelector(".share__copy");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(copy.dataset.copyUrl).then(
        function () { status.textContent = "Link copied."; },
        function () { status.textContent = "Couldn't copy the link; copy it from the address bar."; }
      );
    });
  }

  var native = document.querySelector(".share__native");
  if (native && navigator.share) {
    native.hidden = false;
    native.addEventListener("click", function () {
      navigator.share({ title: native.dataset.shareTitle, url: native.dataset.shareUrl }).catch(function (error) {
        if (error.name !== "AbortError") status.textContent = "Couldn't open sharing; use one of the links.";
      });
    });
  }
})();
