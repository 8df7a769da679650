// The image form's focal point: click on the picture (or use the arrow keys on it) to
// set the hidden focal_x / focal_y fields, from 0 to 1 across and down. A file just
// chosen is shown from the computer, so the point can be set before the first save.
(function () {
  "use strict";

  var STEP = 0.02;

  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }

  function setUp(picker) {
    var fieldX = document.getElementById("id_focal_x");
    var fieldY = document.getElementById("id_focal_y");
    var readout = document.querySelector("[data-focal-readout]");
    var marker = picker.querySelector(".focal-picker__marker");
    var fileInput = document.getElementById("id_file");
    if (!fieldX || !fieldY) return;

    function show() {
      var x = parseFloat(fieldX.value) || 0.5;
      var y = parseFloat(fieldY.value) || 0.5;
      marker.style.left = x * 100 + "%";
      marker.style.top = y * 100 + "%";
      if (readout && !picker.hidden) {
        readout.textContent = "Focal point: " + Math.round(x * 100) + "% from the left, " +
          Math.round(y * 100) + "% from the top. Click the picture to move it.";
      }
    }

    function set(x, y) {
      fieldX.value = clamp(x).toFixed(4);
      fieldY.value = clamp(y).toFixed(4);
      show();
    }

    picker.addEventListener("click", function (event) {
      var image = picker.querySelector("img");
      if (!image) return;
      var box = image.getBoundingClientRect();
      set((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
    });

    picker.addEventListener("keydown", function (event) {
      var moves = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP] };
      var move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      set(parseFloat(fieldX.value) + move[0], parseFloat(fieldY.value) + move[1]);
    });

    if (fileInput) {
      fileInput.addEventListener("change", function () {
        var file = fileInput.files && fileInput.files[0];
        if (!file) return;
        var image = picker.querySelector("img") || picker.insertBefore(document.createElement("img"), marker);
        image.alt = "";
        image.removeAttribute("width");
        image.removeAttribute("height");
        image.src = URL.createObjectURL(file);
        picker.hidden = false;
        set(0.5, 0.5);
      });
    }
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-focal-picker]").forEach(setUp);
  });
})();
