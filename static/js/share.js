// Progressive enhancement: the share links work without JavaScript; this adds
// a "Copy link" button where the browser offers the Clipboard API.
(function () {
  "use strict";
  var button = document.querySelector(".share__copy");
  if (!button || !navigator.clipboard) return;
  var status = document.querySelector(".share__status");
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(button.dataset.copyUrl).then(
      function () { status.textContent = "Link copied."; },
      function () { status.textContent = "Couldn't copy the link; copy it from the address bar."; }
    );
  });
})();
