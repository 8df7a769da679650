// A chosen photo survives a form that comes back with an error. A browser never refills
// a file field from the server, so the file is kept in this browser (IndexedDB) when it
// is chosen, put back in the field if the page returns with errors, and forgotten
// otherwise. The file never leaves the editor's computer except in the form itself.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  var input = document.querySelector("form input[type=file][name=file]");
  if (!input || !window.indexedDB || !window.DataTransfer) return;
  var key = location.pathname;

  function store(run) {
    var opening = indexedDB.open("newsroom-uploads", 1);
    opening.onupgradeneeded = function () { opening.result.createObjectStore("files"); };
    opening.onsuccess = function () {
      var db = opening.result;
      var transaction = db.transaction("files", "readwrite");
      run(transaction.objectStore("files"));
      transaction.oncomplete = function () { db.close(); };
    };
  }

  function tell(file) {
    var note = document.createElement("p");
    note.className = "help kept-upload";
    note.setAttribute("role", "status");
    note.textContent = "Still chosen: " + file.name + ". Fix what is marked, then save; " +
      "or choose another file.";
    input.after(note);
  }

  // Kept as it is chosen: a write started as the form is sent may not outlive the page.
  input.addEventListener("change", function () {
    var file = input.files[0];
    store(function (files) {
      if (file) files.put(file, key); else files.delete(key);
    });
  });

  store(function (files) {
    var returnedWithErrors = document.querySelector(".errornote") !== null;
    var asking = files.get(key);
    asking.onsuccess = function () {
      var file = asking.result;
      if (file && returnedWithErrors && input.files.length === 0) {
        var chosen = new DataTransfer();
        chosen.items.add(file);
        input.files = chosen.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        tell(file);
      } else if (file) {
        store(function (again) { again.delete(key); });
      }
    };
  });
});
