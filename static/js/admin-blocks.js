// A block's form shows the fields of its kind only (text, quote, photo or embed), so a
// section's body reads as the list of pieces it is. Fields of the other kinds are hidden,
// not removed: switching back finds what was typed there, and the server keeps only the
// chosen kind's fields when the block is saved.
(function () {
  "use strict";
  var FIELDS = {
    text: ["body"],
    quote: ["text", "speaker", "source_name"],
    photo: ["image", "caption"],
    embed: ["url", "title"],
  };
  var ALL = [].concat.apply([], Object.values(FIELDS));

  function show(kindSelect) {
    var form = kindSelect.closest(".djn-inline-form, .inline-related");
    if (!form) return;
    var shown = FIELDS[kindSelect.value] || [];
    ALL.forEach(function (name) {
      form.querySelectorAll(".form-row.field-" + name).forEach(function (row) {
        // Only this block's own rows, not those of a form nested inside it.
        if (row.closest(".djn-inline-form, .inline-related") !== form) return;
        row.hidden = shown.indexOf(name) === -1;
      });
    });
  }

  function showAll() {
    document.querySelectorAll("select[name$='-kind']").forEach(show);
    addKindButtons();
  }

  // "Add text", "Add quote", "Add photo", "Add embed" in place of "Add another Block" and
  // its kind menu: one click, and the new block's first field has the cursor.
  var KINDS = [["text", "Add text"], ["quote", "Add quote"], ["photo", "Add photo"], ["embed", "Add embed"]];
  var FIRST_FIELD = { text: "body", quote: "text", photo: "image", embed: "url" };
  var addingKind = null;

  function addKindButtons() {
    document.querySelectorAll(".djn-group[id$='-blocks-group']").forEach(function (group) {
      if (/__prefix__|-empty-/.test(group.id) || group.dataset.kindButtons) return;
      var handler = group.querySelector(".djn-add-handler.djn-model-articles-block");
      if (!handler || handler.closest(".djn-group") !== group) return;
      group.dataset.kindButtons = "1";
      var buttons = document.createElement("div");
      buttons.className = "block-kinds";
      buttons.setAttribute("role", "group");
      buttons.setAttribute("aria-label", "Add a block at the end of this section");
      KINDS.forEach(function (kind) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button block-kinds__add";
        button.textContent = kind[1];
        button.addEventListener("click", function () {
          addingKind = kind[0];
          try { handler.click(); } finally { addingKind = null; }
        });
        buttons.append(button);
      });
      handler.hidden = true;
      handler.after(buttons);
    });
  }

  document.addEventListener("formset:added", function (event) {
    if (!addingKind) return;
    var select = event.target.querySelector("select[name$='-kind']");
    if (!select || select.closest(".djn-inline-form, .inline-related") !== event.target.closest(".djn-inline-form, .inline-related")) return;
    select.value = addingKind;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    var first = event.target.querySelector("[name$='-" + FIRST_FIELD[addingKind] + "']");
    // After the other scripts have set the new block up (the Markdown toolbar wraps its
    // text field, which would take the focus away again).
    window.setTimeout(function () {
      if (!first) return;
      var chooser = first.nextElementSibling && first.nextElementSibling.querySelector(".select2-selection");
      (chooser || first).focus();
    }, 0);
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[name$='-kind']")) show(event.target);
  });
  document.addEventListener("DOMContentLoaded", showAll);
  // New blocks added with "Add another Block" arrive after the page loaded.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(document).on("djnesting:added formset:added", showAll);
  }
})();
