// Nothing typed is lost: the article form's fields are kept on the server every few
// seconds and when the page is left, and leaving a changed form asks first.
// The server keeps them for this editor and article only; saving the form discards them.
(() => {
  "use strict";

  const KEEP_EVERY_MS = 5000;
  const status = document.querySelector("[data-unsaved-changes-url]");
  const form = status && status.closest("form");
  if (!form) return;
  const url = status.dataset.unsavedChangesUrl;

  // The form as the server would receive it, files left out (photos come from the library).
  function fields() {
    const data = new FormData(form);
    for (const [name, value] of [...data]) {
      if (value instanceof File) data.delete(name);
    }
    return new URLSearchParams(data).toString();
  }

  let opened = null;
  let kept = null;
  let keeping = null;
  let submitting = false;

  function changed() {
    return opened !== null && (status.hasAttribute("data-restored") || fields() !== opened);
  }

  function say(message, failed) {
    status.textContent = message;
    status.classList.toggle("autosave-status--failed", Boolean(failed));
  }

  function keep() {
    if (submitting || keeping || opened === null) return;
    const now = fields();
    if (now === kept) return;
    keeping = fetch(url, {
      method: "POST",
      body: new URLSearchParams(now),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => {
        if (!response.ok) throw new Error(response.statusText);
        return response.json();
      })
      .then((answer) => {
        kept = now;
        say(answer.message);
      })
      .catch(() => {
        say("Your changes could not be kept on the server. Keep this page open and save soon.", true);
      })
      .finally(() => {
        keeping = null;
      });
  }

  // Other scripts (nested inlines, tag and photo choosers) settle their fields first.
  window.addEventListener("load", () => {
    opened = fields();
    kept = status.hasAttribute("data-restored") ? null : opened;
    window.setInterval(keep, KEEP_EVERY_MS);
  });

  document.addEventListener("submit", (event) => {
    const submitter = event.submitter;
    // The preview submits the form elsewhere: the editor is still editing.
    if (submitter && submitter.hasAttribute("formaction")) return;
    submitting = true;
    if (event.target === form && keeping) {
      // Let the last keep land first, so it can't arrive after the save discards it.
      event.preventDefault();
      keeping.finally(() => form.requestSubmit(submitter || undefined));
    }
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "hidden" || submitting || opened === null) return;
    const now = fields();
    if (now !== kept && navigator.sendBeacon(url, new URLSearchParams(now))) kept = now;
  });

  window.addEventListener("beforeunload", (event) => {
    if (submitting || !changed()) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
