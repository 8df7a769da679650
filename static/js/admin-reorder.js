// Reordering inlines (sections, quotes, links, bylines): "Move up" / "Move down"
// buttons beside each position field. Moving a row renumbers the positions in
// the order shown, which is the order readers will see after saving.
(function () {
  "use strict";

  function rows(group) {
    return Array.from(group.querySelectorAll(".inline-related:not(.tabular), tr.form-row")).filter(function (row) {
      return !row.classList.contains("empty-form") && row.querySelector("input[name$='-position']");
    });
  }

  function renumber(group) {
    rows(group).forEach(function (row, index) {
      row.querySelector("input[name$='-position']").value = index;
    });
  }

  function move(row, direction) {
    var group = row.closest(".inline-group");
    var all = rows(group);
    var index = all.indexOf(row);
    var other = all[index + direction];
    if (!other) return;
    if (direction < 0) other.before(row); else other.after(row);
    renumber(group);
    row.querySelector("button[data-move='" + direction + "']").focus();
  }

  function addButtons(row) {
    var input = row.querySelector("input[name$='-position']");
    if (!input || row.classList.contains("empty-form") || row.dataset.reorder) return;
    row.dataset.reorder = "1";
    [[-1, "Move up"], [1, "Move down"]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.dataset.move = spec[0];
      button.textContent = spec[0] < 0 ? "↑" : "↓";
      button.title = spec[1];
      button.setAttribute("aria-label", spec[1]);
      button.style.marginLeft = "0.25rem";
      button.addEventListener("click", function () { move(row, spec[0]); });
      input.after(button);
    });
    input.size = 3;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".inline-group").forEach(function (group) {
      rows(group).forEach(addButtons);
    });
  });

  // A new row goes last: give it the next position.
  document.addEventListener("formset:added", function (event) {
    var row = event.target;
    addButtons(row);
    var group = row.closest(".inline-group");
    var positions = rows(group).filter(function (r) { return r !== row; }).map(function (r) {
      return Number(r.querySelector("input[name$='-position']").value) || 0;
    });
    row.querySelector("input[name$='-position']").value = positions.length ? Math.max.apply(null, positions) + 1 : 0;
  });
})();
