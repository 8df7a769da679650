// Preview while typing: "Preview changes" submits the form to the preview view (which
// saves nothing) into a panel beside the form, at a phone's or a desktop's width, and
// refreshes it a moment after the editor stops typing. Without this script the same
// button opens the preview in a new tab.
(() => {
  "use strict";

  const REFRESH_AFTER_MS = 1200;
  const WIDTHS = { phone: 390, desktop: 1280 };
  const button = document.querySelector("[data-unsaved-preview]");
  const form = button && button.form;
  if (!form) return;

  const panel = document.createElement("section");
  panel.className = "preview-panel";
  panel.hidden = true;
  panel.setAttribute("aria-label", "Preview of unsaved changes");
  panel.innerHTML = `
    <div class="preview-panel__bar">
      <h2 class="preview-panel__title">Preview: not saved</h2>
      <div class="preview-panel__widths" role="group" aria-label="Width">
        <button type="button" data-width="phone" aria-pressed="true">Phone</button>
        <button type="button" data-width="desktop" aria-pressed="false">Desktop</button>
      </div>
      <button type="button" data-close>Close preview</button>
    </div>
    <div class="preview-panel__viewport">
      <iframe name="${button.formTarget}" title="Preview of unsaved changes"></iframe>
    </div>`;
  document.body.append(panel);
  const frame = panel.querySelector("iframe");
  const viewport = panel.querySelector(".preview-panel__viewport");
  let width = "phone";
  let timer = null;

  // A desktop page is laid out at its full width, then scaled down to fit the panel.
  function fit() {
    const wanted = WIDTHS[width];
    const scale = Math.min(1, viewport.clientWidth / wanted);
    frame.style.width = `${wanted}px`;
    frame.style.height = `${viewport.clientHeight / scale}px`;
    frame.style.transform = `scale(${scale})`;
  }

  function open() {
    panel.hidden = false;
    document.body.classList.add("has-preview-panel");
    fit();
  }

  button.addEventListener("click", open);
  panel.querySelector("[data-close]").addEventListener("click", () => {
    panel.hidden = true;
    document.body.classList.remove("has-preview-panel");
    button.focus();
  });
  for (const choice of panel.querySelectorAll("[data-width]")) {
    choice.addEventListener("click", () => {
      width = choice.dataset.width;
      for (const other of panel.querySelectorAll("[data-width]")) {
        other.setAttribute("aria-pressed", String(other === choice));
      }
      fit();
    });
  }
  window.addEventListener("resize", () => panel.hidden || fit());

  function refreshSoon() {
    if (panel.hidden) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => form.requestSubmit(button), REFRESH_AFTER_MS);
  }
  form.addEventListener("input", refreshSoon);
  form.addEventListener("change", refreshSoon);
})();
