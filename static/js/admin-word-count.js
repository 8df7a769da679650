// The article's words and reading time in the publish bar, counted as the editor types:
// the text blocks and quotes (fields with data-word-count), leaving out blocks of another
// kind and those marked for deletion. The rule is articles/reading.py's, words per minute
// included (data-words-per-minute): the saved article gets the same number.
(function () {
  "use strict";
  var LINK_TARGET = /\]\([^)]*\)/g;
  var LIST_NUMBER = /^[ \t]*\d+[.)][ \t]/gm;
  var WORD = /[\p{L}\p{N}]+(?:['’.,\-][\p{L}\p{N}]+)*/gu;

  function countWords(text) {
    var words = text.normalize("NFC").replace(LINK_TARGET, "]").replace(LIST_NUMBER, "")
      .match(WORD);
    return words ? words.length : 0;
  }

  function checked(name) {
    var box = document.querySelector("input[name='" + name + "']");
    return Boolean(box && box.checked);
  }

  // "sections-0-blocks-2-body" is counted unless its block is of another kind, or it or
  // its section ("sections-0") is marked for deletion.
  function isCounted(field) {
    var parts = field.name.split("-");
    var prefix = parts.slice(0, -1).join("-");
    if (prefix.indexOf("__prefix__") !== -1) return false;
    var kind = document.querySelector("select[name='" + prefix + "-kind']");
    if (kind && kind.value !== field.dataset.wordCount) return false;
    for (var end = 2; end < parts.length; end += 2) {
      if (checked(parts.slice(0, end).join("-") + "-DELETE")) return false;
    }
    return true;
  }

  function start() {
    var counter = document.getElementById("article-word-count");
    if (!counter) return;
    var perMinute = Number(counter.dataset.wordsPerMinute);

    function update() {
      var words = 0;
      var fields = document.querySelectorAll("textarea[data-word-count]");
      // A form the user may only view has no fields: the server's count stands.
      if (!fields.length) return;
      fields.forEach(function (field) {
        if (isCounted(field)) words += countWords(field.value);
      });
      var minutes = Math.ceil(words / perMinute);
      counter.dataset.words = words;
      counter.dataset.minutes = minutes;
      counter.textContent = words.toLocaleString("en-US") + (words === 1 ? " word" : " words") +
        " · " + minutes + " min read";
    }

    var pending = false;
    function later() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        update();
      });
    }
    document.addEventListener("input", later);
    document.addEventListener("change", later);
    // Blocks and sections added, removed or marked for deletion by nested_admin, which
    // tells only jQuery's listeners of the last.
    new MutationObserver(function (mutations) {
      if (mutations.some(function (each) { return !counter.contains(each.target); })) later();
    }).observe(document.getElementById("article_form") || document.body, {
      childList: true,
      subtree: true,
    });
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("djnesting:mutate formset:deleted", later);
    }
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
