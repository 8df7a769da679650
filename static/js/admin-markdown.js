// Writing aids for the Markdown fields of the article form (textareas with data-markdown):
// a formatting toolbar (GitHub's <markdown-toolbar>, vendored) with Ctrl/Cmd+B, I and K;
// a paste from a word processor or Google Docs kept as Markdown (turndown, vendored); and
// a paste that would pass the field's data-max-length refused, with nothing lost. Blocks
// added after the page loaded get them too.
(function () {
  "use strict";
  var BUTTONS = [
    // style of <markdown-toolbar>, what the button shows, its name, its shortcut
    ["bold", "B", "Bold", "b"],
    ["italic", "I", "Italic", "i"],
    ["link", "Link", "Link", "k"],
    ["unordered-list", "• List", "Bulleted list", ""],
    ["quote", "“ Quote", "Quote", ""],
  ];
  var MAC = /Mac|iPhone|iPad/.test(navigator.platform);
  var toolbars = new WeakMap();

  function enhance(field) {
    if (toolbars.has(field) || field.name.indexOf("__prefix__") !== -1) return;
    var toolbar = document.createElement("markdown-toolbar");
    toolbar.className = "markdown-toolbar";
    toolbar.setAttribute("aria-label", "Text formatting");
    BUTTONS.forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "markdown-toolbar__button markdown-toolbar__button--" + spec[0];
      button.dataset.mdButton = spec[0];
      button.textContent = spec[1];
      button.setAttribute("aria-label", spec[2]);
      button.title = spec[2];
      if (spec[3]) {
        var key = spec[3].toUpperCase();
        button.dataset.shortcut = spec[3];
        button.title += MAC ? " (⌘" + key + ")" : " (Ctrl+" + key + ")";
        button.setAttribute("aria-keyshortcuts", (MAC ? "Meta+" : "Control+") + key);
      }
      toolbar.appendChild(button);
    });
    // nested_admin renumbers a form's ids when an earlier new form is removed, so the
    // toolbar learns its field's id just before each use.
    var target = function () {
      toolbar.setAttribute("for", field.id);
      toolbar.setAttribute("aria-controls", field.id);
    };
    toolbar.addEventListener("click", target, true);
    toolbar.addEventListener("keydown", function (event) {
      target();
      // Enter and Space click a <button> by themselves. The toolbar's own handler for them
      // would apply the style once more, and once more again each time the block moves
      // (↑ ↓), as the element adds that handler anew whenever it is put back in the page.
      if (event.key === "Enter" || event.key === " ") event.stopPropagation();
    }, true);
    target();
    // Toolbar and field in one column, beside the field's label.
    var column = document.createElement("div");
    column.className = "markdown-field";
    toolbars.set(field, toolbar);
    field.insertAdjacentElement("beforebegin", column);
    column.append(toolbar, field);
  }

  function enhanceAll(root) {
    if (root.matches && root.matches("textarea[data-markdown]")) enhance(root);
    if (root.querySelectorAll) root.querySelectorAll("textarea[data-markdown]").forEach(enhance);
  }

  document.addEventListener("keydown", function (event) {
    var toolbar = toolbars.get(event.target);
    if (!toolbar || event.altKey || event.shiftKey || !(MAC ? event.metaKey : event.ctrlKey)) {
      return;
    }
    // The letter typed, or on a non-Latin layout the key's place on a Latin one.
    var key = /^[a-z]$/i.test(event.key) ? event.key : (event.code || "").replace(/^Key/, "");
    var button = toolbar.querySelector("[data-shortcut='" + key.toLowerCase() + "']");
    if (!button) return;
    event.preventDefault();
    button.click();
  });

  // Length in characters as the server counts them: code points, one per line break.
  function length(text) {
    return Array.from(text.replace(/\r\n?/g, "\n")).length;
  }

  var notes = new WeakMap();

  function message(field) {
    var note = notes.get(field);
    if (!note) {
      var id = field.id + "-length";
      note = document.createElement("p");
      notes.set(field, note);
      note.id = id;
      note.className = "markdown-length errornote";
      note.setAttribute("role", "alert");
      note.hidden = true;
      field.insertAdjacentElement("afterend", note);
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", described ? described + " " + id : id);
    }
    return note;
  }

  function say(field, text) {
    var note = message(field);
    note.textContent = text;
    note.hidden = !text;
  }

  function number(value) {
    return value.toLocaleString("en-US");
  }

  function checkLength(field) {
    var limit = Number(field.dataset.maxLength);
    var now = length(field.value);
    say(field, limit && now > limit
      ? "This text is " + number(now) + " characters long; a text block holds at most " +
        number(limit) + ". Split it into more blocks: add a text block after this one and " +
        "move the rest there."
      : "");
  }

  document.addEventListener("input", function (event) {
    if (toolbars.has(event.target)) checkLength(event.target);
  });

  // --- Paste: word processors' and Google Docs' HTML as Markdown ---------------------

  // A paste is converted only when its HTML carries formatting or paragraphs (Word's plain
  // text has one line break between them, which Markdown reads as one paragraph); otherwise
  // (a code editor's coloured lines, a few words from a web page) the browser pastes the
  // plain text.
  var FORMATTED = "a[href], b, strong, i, em, u, ul, ol, h1, h2, h3, h4, h5, h6, " +
    "blockquote, p ~ p, span[style*='font-weight'], span[style*='font-style'], " +
    "p[style*='mso-list']";

  function styleOf(node) {
    return (node.getAttribute && node.getAttribute("style") || "").toLowerCase()
      .replace(/\s+/g, "");
  }

  // Google Docs wraps every copy in <b style="font-weight:normal" id="docs-internal-guid-…">.
  function isNotBold(node) {
    return /font-weight:(normal|[1-5]00)\b/.test(styleOf(node)) ||
      /^docs-internal-guid/.test(node.id || "");
  }

  function isBold(node) {
    var name = node.nodeName;
    if (name === "STRONG" || name === "B") return !isNotBold(node);
    return name === "SPAN" && /font-weight:(bold|bolder|[6-9]00)\b/.test(styleOf(node));
  }

  function isItalic(node) {
    var name = node.nodeName;
    if (name === "EM" || name === "I") return !/font-style:normal/.test(styleOf(node));
    return name === "SPAN" && /font-style:(italic|oblique)/.test(styleOf(node));
  }

  function isHeading(node) {
    return /^H[1-6]$/.test(node.nodeName);
  }

  // Bold inside bold (a Docs span in a <strong>, a bold word in a heading) is marked once.
  function within(node, test) {
    for (var up = node.parentNode; up && up.nodeType === 1; up = up.parentNode) {
      if (test(up)) return true;
    }
    return false;
  }

  // Word's lists are paragraphs with an mso-list style and a marker span ("·", "o", "1.")
  // that Word itself tells other programs to ignore.
  function markWordLists(body) {
    body.querySelectorAll("p[style*='mso-list']").forEach(function (paragraph) {
      // Word breaks long attributes over lines: "mso-list:\nIgnore".
      var marker = Array.prototype.find.call(paragraph.querySelectorAll("span"), function (span) {
        return styleOf(span).indexOf("mso-list:ignore") !== -1;
      });
      var text = marker ? marker.textContent.replace(/\s+/g, "") : "";
      if (marker) marker.remove();
      paragraph.dataset.listItem = /^\w{1,3}[.)]$/.test(text) ? "ordered" : "bulleted";
    });
  }

  function listItem(content, prefix) {
    content = content.replace(/^\n+/, "").replace(/\n+$/, "");
    return prefix + content.replace(/\n/g, "\n" + " ".repeat(prefix.length));
  }

  function converter() {
    var turndown = new window.TurndownService({
      headingStyle: "atx",
      bulletListMarker: "-",
      emDelimiter: "*",
      strongDelimiter: "**",
    });
    // Photos are blocks of their own, from the library; the rest is no text at all.
    turndown.addRule("dropped", {
      filter: ["head", "meta", "style", "script", "template", "title", "link", "img", "picture",
        "video", "audio", "iframe", "object", "svg", "button", "input", "select", "textarea"],
      replacement: function () { return ""; },
    });
    turndown.addRule("notBold", {
      filter: function (node) { return node.nodeName === "B" && isNotBold(node); },
      replacement: function (content) { return content; },
    });
    // One rule for both, as a Docs span can be bold and italic at once ("***both***").
    turndown.addRule("emphasis", {
      filter: function (node) { return isBold(node) || isItalic(node); },
      replacement: function (content, node) {
        var marker = "";
        if (isBold(node) && !within(node, function (up) { return isBold(up) || isHeading(up); })) {
          marker += "**";
        }
        if (isItalic(node) && !within(node, isItalic)) marker += "*";
        return content.trim() ? marker + content + marker.split("").reverse().join("") : content;
      },
    });
    // A body's headings are the sections' subheadings: within a block, one is a bold line.
    turndown.addRule("heading", {
      filter: ["h1", "h2", "h3", "h4", "h5", "h6"],
      replacement: function (content) {
        return content.trim() ? "\n\n**" + content.trim() + "**\n\n" : "";
      },
    });
    turndown.addRule("link", {
      filter: "a",
      replacement: function (content, node) {
        var href = node.getAttribute("href") || "";
        // Only links readers can follow: not Docs' bookmarks (#heading=…) or relative ones.
        if (!/^(https?:|mailto:)/i.test(href) || !content.trim()) return content;
        return "[" + content + "](" + href.replace(/ /g, "%20").replace(/([()])/g, "\\$1") + ")";
      },
    });
    turndown.addRule("list", {
      filter: ["ul", "ol"],
      replacement: function (content, node) {
        var parent = node.parentNode;
        // Google Docs nests a list in the list itself, not in the item above it.
        if (parent.nodeName === "UL" || parent.nodeName === "OL") {
          var indent = parent.nodeName === "OL" ? "   " : "  ";
          return "\n" + content.replace(/\n+$/, "").replace(/^(?=.)/gm, indent) + "\n";
        }
        if (parent.nodeName === "LI" && parent.lastElementChild === node) return "\n" + content;
        return "\n\n" + content + "\n\n";
      },
    });
    turndown.addRule("listItem", {
      filter: "li",
      replacement: function (content, node) {
        var parent = node.parentNode;
        var prefix = "- ";
        if (parent.nodeName === "OL") {
          var start = Number(parent.getAttribute("start") || 1);
          var items = Array.prototype.filter.call(parent.children, function (child) {
            return child.nodeName === "LI";
          });
          prefix = start + items.indexOf(node) + ". ";
        }
        return listItem(content, prefix) + (node.nextSibling ? "\n" : "");
      },
    });
    turndown.addRule("wordListItem", {
      filter: function (node) { return node.nodeName === "P" && node.dataset.listItem; },
      replacement: function (content, node) {
        var prefix = "- ";
        if (node.dataset.listItem === "ordered") {
          var index = 1;
          for (var before = node.previousElementSibling;
            before && before.dataset && before.dataset.listItem === "ordered";
            before = before.previousElementSibling) index++;
          prefix = index + ". ";
        }
        var previous = node.previousElementSibling;
        var first = !(previous && previous.dataset && previous.dataset.listItem);
        return (first ? "\n\n" : "\n") + listItem(content, prefix) + "\n";
      },
    });
    // Word processors and web pages end paragraphs with <br>s as often as with <p>s; a
    // line break inside a paragraph is rare in news copy and invisible in Markdown.
    turndown.addRule("lineBreak", {
      filter: "br",
      replacement: function (content, node) {
        return within(node, function (up) { return up.nodeName === "LI"; }) ? "\n" : "\n\n";
      },
    });
    return turndown;
  }

  function markdownFrom(html) {
    if (!window.TurndownService) return null;
    // A parsed document that is never shown: its scripts don't run, its images don't load.
    var body = new DOMParser().parseFromString(html, "text/html").body;
    if (!body.querySelector(FORMATTED)) return null;
    markWordLists(body);
    var markdown = converter().turndown(body).replace(/\u00a0/g, " ").trim();
    return markdown || null;
  }

  // Typed in as if by the keyboard, so Ctrl/Cmd+Z takes the paste back.
  function insert(field, text) {
    field.focus();
    var inserted = false;
    try {
      inserted = document.execCommand("insertText", false, text);
    } catch (error) {
      inserted = false;
    }
    if (!inserted) {
      field.setRangeText(text, field.selectionStart, field.selectionEnd, "end");
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  document.addEventListener("paste", function (event) {
    var field = event.target;
    if (!toolbars.has(field) || !event.clipboardData) return;
    var html = event.clipboardData.getData("text/html");
    var markdown = html ? markdownFrom(html) : null;
    var text = markdown !== null ? markdown : event.clipboardData.getData("text/plain");
    var limit = Number(field.dataset.maxLength);
    var selected = field.value.slice(field.selectionStart, field.selectionEnd);
    var after = length(field.value) - length(selected) + length(text);
    if (limit && after > limit) {
      event.preventDefault();
      say(field, "Not pasted: the text would be " + number(after) + " characters long, and a " +
        "text block holds at most " + number(limit) + ". Split it into more blocks: paste " +
        "part of it here, add a text block after this one and paste the rest there.");
      return;
    }
    if (markdown === null) return;
    event.preventDefault();
    insert(field, markdown);
  });

  function start() {
    enhanceAll(document);
    // nested_admin adds new blocks and sections by cloning a template into the page.
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(enhanceAll);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
