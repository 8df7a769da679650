// Reordering inlines (sections, blocks, quotes, links, bylines) with the keyboard:
// "Move up" / "Move down" buttons beside each position field. Moving a row renumbers
// the positions in the order shown, which is the order readers will see after saving.
// Drag and drop (django-nested-admin) numbers the same position fields.
(function () {
  "use strict";

  var EMPTY_FORM = /-(__prefix__|empty)-/;

  // A row's own position field: not one of a nested group's (a section holds blocks).
  function positionOf(row) {
    var group = row.closest(".inline-group");
    return Array.from(row.querySelectorAll("input[name$='-position']")).find(function (input) {
      return input.closest(".inline-group") === group;
    });
  }

  function rows(group) {
    var found = [];
    group.querySelectorAll("input[name$='-position']").forEach(function (input) {
      if (input.closest(".inline-group") !== group || EMPTY_FORM.test(input.name)) return;
      var row = input.closest(".djn-item, .inline-related, tr.form-row");
      if (row && found.indexOf(row) < 0) found.push(row);
    });
    return found;
  }

  function renumber(group) {
    rows(group).forEach(function (row, index) {
      positionOf(row).value = index;
    });
  }

  function announce(group, message) {
    var live = group.querySelector(":scope > .reorder-status");
    if (!live) {
      live = document.createElement("p");
      live.className = "reorder-status";
      live.setAttribute("aria-live", "polite");
      group.prepend(live);
    }
    live.textContent = message;
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
    announce(group, "Moved to position " + (index + direction + 1) + " of " + all.length + ".");
  }

  function addButtons(row) {
    var input = positionOf(row);
    if (!input || EMPTY_FORM.test(input.name) || input.dataset.reorder) return;
    input.dataset.reorder = "1";
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

  function addAllButtons() {
    document.querySelectorAll(".inline-group").forEach(function (group) {
      rows(group).forEach(addButtons);
    });
  }

  document.addEventListener("DOMContentLoaded", addAllButtons);

  // A new row goes last: give it the next position.
  document.addEventListener("formset:added", function (event) {
    var row = event.target.closest(".djn-item, .inline-related, tr.form-row") || event.target;
    var input = positionOf(row);
    if (!input) return;
    var group = row.closest(".inline-group");
    var positions = rows(group).filter(function (r) { return r !== row; }).map(function (r) {
      return Number(positionOf(r).value) || 0;
    });
    input.value = positions.length ? Math.max.apply(null, positions) + 1 : 0;
    addAllButtons();
  });
})();
