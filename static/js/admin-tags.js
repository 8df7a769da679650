// Tag suggestions for the comma-separated tags field: existing tags that start
// with what the editor is typing, so the desk reuses "ISS" instead of adding "I.S.S.".
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("id_tags");
    if (!input || !input.dataset.suggestUrl) return;
    var list = document.createElement("ul");
    list.id = "id_tags_suggestions";
    list.setAttribute("role", "listbox");
    list.className = "tag-suggestions";
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.autocomplete = "off";
    input.after(list);
    var active = -1;
    var request = 0;

    function fragment() {
      var parts = input.value.split(",");
      return parts[parts.length - 1].trim().replace(/^"/, "");
    }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(name) {
      var parts = input.value.split(",");
      parts.pop();
      var quoted = /[\s,]/.test(name) ? '"' + name + '"' : name;
      parts.push((parts.length ? " " : "") + quoted);
      input.value = parts.join(",") + ", ";
      close();
      input.focus();
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) { option.setAttribute("aria-selected", String(i === index)); });
      active = index;
      if (options[index]) input.setAttribute("aria-activedescendant", options[index].id);
    }

    input.addEventListener("input", function () {
      var term = fragment();
      if (!term) { close(); return; }
      var mine = ++request;
      fetch(input.dataset.suggestUrl + "?term=" + encodeURIComponent(term), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (mine !== request) return;
          close();
          data.results.forEach(function (name, i) {
            var option = document.createElement("li");
            option.id = "id_tags_suggestion_" + i;
            option.setAttribute("role", "option");
            option.textContent = name;
            option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(name); });
            list.appendChild(option);
          });
          if (data.results.length) {
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
          }
        });
    });

    input.addEventListener("keydown", function (event) {
      var options = list.querySelectorAll("[role=option]");
      if (list.hidden || !options.length) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % options.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(options[active].textContent); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", close);
  });
})();
