// Busy states for whatever takes a moment: a visible label on the control that started it, a
// spoken announcement (the page's #busy-announcer live region), the control blocked against a
// second press while the request is in flight, and everything put back if it fails.
// Progressive enhancement only: without this file every form, button and link works as before.
//
// Marked up in the templates, never guessed:
//   htmx requests      data-busy="Saving…" on the element with hx-post (or its form); a region
//                      that htmx refreshes in place takes data-busy-region="Updating…" instead
//                      and is marked aria-busy while it waits;
//   ordinary forms     <form data-busy="Working…">;
//   slow downloads     <a data-busy-download="Preparing the PDF…">: fetched here, then saved
//                      under the server's file name, so the page knows when it is ready.
(function () {
  "use strict";
  var FAILED = "That did not work: the connection or the server had a problem. Nothing was lost on this page; please try again.";
  var requests = new WeakMap();

  function announce(text) {
    var region = document.getElementById("busy-announcer");
    if (!region) return;
    // Emptied first, then filled after a moment, so the same words said twice are read twice.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 60);
  }

  // aria-disabled rather than disabled: the control keeps keyboard focus, and a screen reader
  // hears that it is unavailable; presses are refused by the listener below.
  function setBusy(control, words) {
    if (!control || control.hasAttribute("data-busy-was")) return;
    control.setAttribute("data-busy-was", control.innerHTML);
    control.setAttribute("aria-disabled", "true");
    control.classList.add("is-busy");
    control.textContent = words;
    clearFailure(control);
  }

  function clearBusy(control) {
    if (!control || !control.hasAttribute("data-busy-was")) return;
    control.innerHTML = control.getAttribute("data-busy-was");
    control.removeAttribute("data-busy-was");
    control.removeAttribute("aria-disabled");
    control.classList.remove("is-busy");
  }

  function clearFailure(control) {
    var next = control.nextElementSibling;
    if (next && next.classList.contains("busy-failed")) next.remove();
  }

  function showFailure(control) {
    if (!control || !control.isConnected) return;
    clearFailure(control);
    var note = document.createElement("span");
    note.className = "busy-failed";
    note.textContent = FAILED;
    control.insertAdjacentElement("afterend", note);
  }

  document.addEventListener("click", function (event) {
    var busy = event.target.closest && event.target.closest(".is-busy");
    if (busy) { event.preventDefault(); event.stopImmediatePropagation(); }
  }, true);

  // ---------------------------------------------------------------- htmx
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt.hasAttribute("data-busy-region")) {
      elt.setAttribute("aria-busy", "true");
      requests.set(elt, { region: elt });
      return;
    }
    var config = event.detail.requestConfig || {};
    var trigger = config.triggeringEvent;
    var control = (trigger && trigger.submitter) || (elt.matches("button, input[type=submit]") ? elt : null);
    var marked = elt.closest("[data-busy]") || (control && control.closest("[data-busy]"));
    if (!marked) return;
    var words = marked.getAttribute("data-busy");
    setBusy(control || elt.querySelector("button[type=submit], button:not([type])"), words);
    requests.set(elt, { control: control || elt.querySelector(".is-busy") });
    announce(words);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    var started = requests.get(elt);
    if (!started) return;
    requests.delete(elt);
    if (started.region) {
      started.region.removeAttribute("aria-busy");
      if (event.detail.failed && !event.detail.xhr.status) showFailure(started.region.lastElementChild || started.region);
      return;
    }
    clearBusy(started.control);
    // A refused answer (400) comes back as the card with its error, which says what to do.
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (!event.detail.successful && status !== 400) {
      showFailure(started.control);
      announce(FAILED);
    }
  });

  // ---------------------------------------------------------------- ordinary forms
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.matches("form[data-busy]") || form.hasAttribute("hx-post")) return;
    var control = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    var words = form.getAttribute("data-busy");
    // After this turn, so the pressed button's name and value still go with the form.
    window.setTimeout(function () { setBusy(control, words); announce(words); }, 0);
  });

  // Coming back with the browser's Back button shows the page as it was left: put it right.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll(".is-busy").forEach(clearBusy);
  });

  // ---------------------------------------------------------------- slow downloads
  function fileName(response, url) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename\*=UTF-8''([^;]+)/i.exec(header) || /filename="?([^";]+)"?/i.exec(header);
    if (match) return decodeURIComponent(match[1]);
    return url.split("?")[0].split("/").pop() || "download";
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-busy-download]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (!window.fetch || !window.URL || !URL.createObjectURL) return;
    event.preventDefault();
    var href = link.href;
    var label = link.textContent.trim();
    setBusy(link, link.getAttribute("data-busy-download"));
    announce(link.getAttribute("data-busy-download"));
    fetch(href, { credentials: "same-origin" })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        // A page instead of a file (signed out, not allowed): let the browser show it.
        if (response.ok && type.indexOf("text/html") === 0) { window.location.href = href; return null; }
        if (!response.ok) throw new Error(String(response.status));
        return response.blob().then(function (blob) {
          save(blob, fileName(response, href));
          clearBusy(link);
          announce("Downloaded: " + label + ".");
        });
      })
      .catch(function () {
        clearBusy(link);
        showFailure(link);
        announce(FAILED);
      });
  });
})();
