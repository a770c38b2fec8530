/* Autosave feedback: the user must never believe an answer is saved when it is not.
 * htmx posts one question's fieldset on change; this file shows "bezig", the server's
 * "opgeslagen" fragment, or a clear error, and retries unsaved answers when the network
 * is back. The inputs themselves are never replaced. */
(function () {
  "use strict";
  var pending = new Set();
  var RETRY_MS = 5000;
  // Texts that promise autosave (.js-only-hint) are only shown when this script runs.
  document.documentElement.classList.add("js");

  function statusFor(fieldset) {
    return document.getElementById(fieldset.getAttribute("hx-target").slice(1));
  }

  function showText(fieldset, cls, text) {
    var el = statusFor(fieldset);
    el.textContent = "";
    var span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    el.appendChild(span);
  }

  function markPending(fieldset, message) {
    pending.add(fieldset);
    fieldset.setAttribute("data-unsaved", "true");
    showText(fieldset, "failed", message);
  }

  function retry() {
    if (!navigator.onLine) return;
    pending.forEach(function (fieldset) {
      htmx.trigger(fieldset, "change");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) {
      htmx.config.timeout = 15000;
    }
  });

  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    var fieldset = evt.detail.elt;
    if (!fieldset.hasAttribute("data-autosave")) return;
    showText(fieldset, "saving", fieldset.closest("form").dataset.savingText || "Bezig met opslaan…");
  });

  document.body.addEventListener("htmx:afterRequest", function (evt) {
    var fieldset = evt.detail.elt;
    if (!fieldset.hasAttribute("data-autosave")) return;
    var xhr = evt.detail.xhr;
    var form = fieldset.closest("form");
    if (evt.detail.successful && xhr && xhr.status >= 200 && xhr.status < 300) {
      pending.delete(fieldset);
      fieldset.removeAttribute("data-unsaved");
      return;
    }
    var text;
    if (!xhr || xhr.status === 0) {
      text = form.dataset.offlineText;
    } else {
      var type = xhr.getResponseHeader("Content-Type") || "";
      var body = xhr.responseText || "";
      if (type.indexOf("text/plain") === 0 && body.length < 500) {
        text = body;
      } else if (type.indexOf("text/html") === 0 && body.length < 2000) {
        var tmp = document.createElement("div");
        tmp.innerHTML = body;
        text = tmp.textContent.trim();
      }
      text = text || form.dataset.errorText;
    }
    markPending(fieldset, text);
  });

  // htmx:sendError and htmx:timeout arrive before afterRequest with no status.
  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.body.addEventListener(name, function (evt) {
      var fieldset = evt.detail.elt;
      if (!fieldset.hasAttribute("data-autosave")) return;
      markPending(fieldset, fieldset.closest("form").dataset.offlineText);
    });
  });

  window.addEventListener("online", retry);
  setInterval(retry, RETRY_MS);

  window.addEventListener("beforeunload", function (evt) {
    if (pending.size > 0) {
      evt.preventDefault();
      evt.returnValue = "";
    }
  });

  // A wide data table scrolls inside its own box on a narrow screen (WCAG 1.4.10 allows
  // that for tables). Keyboard users must be able to scroll it too (WCAG 2.1.1), so a box
  // that really scrolls becomes a tab stop named after its caption; on a wide screen,
  // where nothing scrolls, it is no extra tab stop.
  function markScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box, index) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("data-scroll-region", "true");
        if (caption) {
          caption.id = caption.id || "tabel-" + (index + 1);
          box.setAttribute("aria-labelledby", caption.id);
        }
      } else if (!scrolls && box.hasAttribute("data-scroll-region")) {
        ["tabindex", "role", "aria-labelledby", "data-scroll-region"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollingTables);
  window.addEventListener("resize", markScrollingTables);
  document.body.addEventListener("htmx:afterSettle", markScrollingTables);
})();
