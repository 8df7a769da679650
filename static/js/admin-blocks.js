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
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[name$='-kind']")) show(event.target);
  });
  document.addEventListener("DOMContentLoaded", showAll);
  // New blocks added with "Add another Block" arrive after the page loaded.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(document).on("djnesting:added formset:added", showAll);
  }
})();
