// The article form's lead image: when the editor picks another image in the chooser,
// show its thumbnail, alt text and credit (and say if it still lacks alt text).
(function () {
  "use strict";

  function setUp() {
    var summary = document.querySelector("[data-lead-image-summary]");
    var select = document.getElementById("id_lead_image");
    if (!summary || !select || !window.django || !window.django.jQuery) return;
    // The chooser is a select2 widget, which announces changes through jQuery.
    window.django.jQuery(select).on("change", function () {
      if (!select.value) {
        summary.textContent = "No lead image: the article and its cards show no photo.";
        return;
      }
      var url = summary.dataset.libraryUrl + encodeURIComponent(select.value) + "/summary/";
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.statusText);
          return response.json();
        })
        .then(function (data) {
          summary.innerHTML = data.html;  // Built with format_html: escaped on the server.
        })
        .catch(function () {
          summary.textContent = "The preview could not be loaded; save to see the image.";
        });
    });
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
