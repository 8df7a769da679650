// The article form's address: as the editor types the headline or the slug (or picks the
// category), show under the slug the address the article will get, which is the next free
// one when another article has that slug (ArticleAdmin.address_view says which).
(function () {
  "use strict";

  var WAIT_MS = 250;

  function setUp() {
    var slug = document.getElementById("id_slug");
    var headline = document.getElementById("id_headline");
    if (!slug || !headline || !slug.dataset.addressUrl) return;
    var category = document.getElementById("id_category");
    var output = document.createElement("div");
    output.id = "article-address";
    output.className = "help article-address";
    output.setAttribute("aria-live", "polite");
    // Between the field and its help text.
    var row = slug.closest(".flex-container") || slug;
    row.parentNode.insertBefore(output, row.nextSibling);
    var described = (slug.getAttribute("aria-describedby") || "") + " article-address";
    slug.setAttribute("aria-describedby", described.trim());

    var timer = null;
    var asked = 0;

    function show(data) {
      output.textContent = "";
      output.classList.toggle("article-address--taken", Boolean(data.taken));
      if (data.error) {
        output.textContent = data.error;
        output.classList.add("article-address--taken");
        return;
      }
      if (!data.slug) return;
      var line = document.createElement("p");
      line.append("Address: ");
      var address = document.createElement("strong");
      address.textContent = data.url || "…/" + data.slug + "/";
      line.append(address);
      if (!data.url) line.append(" (choose a category to complete it)");
      output.append(line);
      if (data.message) {
        var message = document.createElement("p");
        message.textContent = data.message;
        output.append(message);
      }
    }

    function ask() {
      var params = new URLSearchParams({ headline: headline.value, slug: slug.value.trim() });
      if (category && category.value) params.set("category", category.value);
      if (slug.dataset.articleId) params.set("article", slug.dataset.articleId);
      var mine = ++asked;
      fetch(slug.dataset.addressUrl + "?" + params, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok && response.status !== 400) throw new Error(response.statusText);
          return response.json();
        })
        .then(function (data) {
          // An answer to an earlier question arriving late is no longer true.
          if (mine === asked) show(data);
        })
        .catch(function () {
          if (mine === asked) output.textContent = "";
        });
    }

    function soon() {
      // After the admin's prepopulate.js has copied the headline into the slug (on keyup).
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    }

    ["input", "keyup", "change"].forEach(function (type) {
      headline.addEventListener(type, soon);
      slug.addEventListener(type, soon);
    });
    // The category chooser is a select2 widget, which announces changes through jQuery.
    if (category && window.django && window.django.jQuery) {
      window.django.jQuery(category).on("change", soon);
    }
    ask();
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
