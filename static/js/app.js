/* Autosave feedback: the user must never believe an answer is saved when it is not.
 * htmx posts one question's fieldset on the "autosave" event, which this file fires: a
 * level after a short pause (arrow keys move through a radio group and change the level
 * at every step: one save for the run, not one per level passed), a note when it loses
 * focus. A save still waiting when the page is left is sent at once. This file shows
 * "bezig", the server's "opgeslagen" fragment, or a clear error, and retries unsaved
 * answers when the network is back. The inputs themselves are never replaced. */
(function () {
  "use strict";
  var pending = new Set(); // failed saves, retried
  var waiting = new Map(); // fieldset -> timer of a save not sent yet
  var RETRY_MS = 5000;
  var LEVEL_PAUSE_MS = 600;
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
      htmx.trigger(fieldset, "autosave");
    });
  }

  function saveNow(fieldset) {
    clearTimeout(waiting.get(fieldset));
    waiting.delete(fieldset);
    htmx.trigger(fieldset, "autosave");
  }

  function saveSoon(fieldset, delay) {
    clearTimeout(waiting.get(fieldset));
    // "Bezig met opslaan" from the first change on: nothing looks saved while it waits.
    showText(fieldset, "saving", fieldset.closest("form").dataset.savingText || "Bezig met opslaan…");
    waiting.set(fieldset, setTimeout(function () { saveNow(fieldset); }, delay));
  }

  document.addEventListener("change", function (evt) {
    var fieldset = evt.target.closest && evt.target.closest("fieldset[data-autosave]");
    if (!fieldset) return;
    if (evt.target.type === "radio") {
      saveSoon(fieldset, LEVEL_PAUSE_MS);
    } else {
      saveNow(fieldset); // a note: the user has left the field
    }
  });

  // The page is left (a link, reload, closing the tab) with a save still waiting: send it
  // with fetch's keepalive, which outlives the page (an XHR, as htmx sends, is cancelled).
  function sendBeforeLeaving(fieldset) {
    var body = new URLSearchParams();
    fieldset.querySelectorAll("input, textarea").forEach(function (el) {
      if (el.type !== "radio" || el.checked) body.append(el.name, el.value);
    });
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    headers["HX-Request"] = "true";
    fetch(fieldset.getAttribute("hx-post"), {
      method: "POST",
      body: body,
      headers: headers,
      credentials: "same-origin",
      keepalive: true
    });
  }

  window.addEventListener("pagehide", function () {
    waiting.forEach(function (timer, fieldset) {
      clearTimeout(timer);
      sendBeforeLeaving(fieldset);
    });
    waiting.clear();
  });

  // Another tab or app in front (the page may be discarded without pagehide): save now.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      Array.from(waiting.keys()).forEach(saveNow);
    }
  });

  // The note: a counter that says how much room is left (announced only near the limit,
  // not at every key) and a field that grows with its text.
  var NEAR_LIMIT = 0.9;

  function updateNote(textarea) {
    var counter = textarea.parentElement.querySelector(".note-counter");
    var max = parseInt(textarea.getAttribute("maxlength"), 10);
    if (counter && max) {
      var form = textarea.closest("form");
      var n = textarea.value.length;
      var template = (n >= max ? form.dataset.counterFullText : form.dataset.counterText) ||
        "{n} van {max} tekens";
      counter.textContent = template.replace("{n}", n).replace("{max}", max);
      if (n >= max * NEAR_LIMIT) {
        counter.setAttribute("aria-live", "polite");
        counter.classList.add("near-limit");
      } else {
        counter.removeAttribute("aria-live");
        counter.classList.remove("near-limit");
      }
    }
    textarea.style.height = "auto";
    var border = textarea.offsetHeight - textarea.clientHeight;
    textarea.style.height = (textarea.scrollHeight + border) + "px";
  }

  document.addEventListener("input", function (evt) {
    if (evt.target.matches && evt.target.matches("textarea.note")) updateNote(evt.target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.note").forEach(updateNote);
  });

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
