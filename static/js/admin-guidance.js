// Length guidance for editors: a live character count beside fields that carry
// a data-guidance limit. Advice only; the server enforces the hard limits.
(function () {
  "use strict";
  document.querySelectorAll("[data-guidance]").forEach(function (field) {
    var limit = Number(field.dataset.guidance);
    var counter = document.createElement("div");
    counter.className = "help";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    function update() {
      var length = field.value.length;
      counter.textContent = length + " / " + limit + " characters" +
        (length > limit ? ": longer than recommended" : "");
      counter.style.color = length > limit ? "#ba2121" : "";
    }
    field.addEventListener("input", update);
    update();
  });
})();
