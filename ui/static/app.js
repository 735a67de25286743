// encv web UI helpers: CSRF-aware AJAX, flashes, confirmations, countdowns,
// the issue page and the bulk CSV uploader. Bootstrap's bundle (loaded before
// this file) runs the navbar, dropdowns and dismissible alerts.
(function () {
  "use strict";

  // Texts in the page's language, from base.mako (English if absent).
  var TEXT = (function () {
    try { return JSON.parse(document.body.getAttribute("data-i18n") || "{}"); }
    catch (e) { return {}; }
  })();
  function text(key, fallback, values) {
    var s = TEXT[key] || fallback;
    Object.keys(values || {}).forEach(function (k) { s = s.split("{" + k + "}").join(values[k]); });
    return s;
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        // Errors come back in the page's language even when ?lang chose it.
        "Accept-Language": document.documentElement.lang || "en",
        "X-CSRF-Token": csrfToken(),
      },
      body: JSON.stringify(body),
    });
  }

  // Same markup as the server-rendered flashes in base.mako.
  var FLASH = {
    alert: ["alert-success", "bi-check-circle-fill"],
    warning: ["alert-warning", "bi-exclamation-triangle-fill"],
    error: ["alert-danger", "bi-x-octagon-fill"],
  };
  var flash = {
    add: function (kind, text) {
      var box = document.getElementById("flash");
      if (!box) return;
      var look = FLASH[kind] || FLASH.alert;
      var div = document.createElement("div");
      div.className = "alert " + look[0] + " alert-dismissible fade show flash flash-" + kind;
      div.setAttribute("role", kind === "error" ? "alert" : "status");
      var icon = document.createElement("i");
      icon.className = "bi " + look[1] + " me-2";
      icon.setAttribute("aria-hidden", "true");
      var close = document.createElement("button");
      close.type = "button";
      close.className = "btn-close";
      close.setAttribute("data-bs-dismiss", "alert");
      close.setAttribute("aria-label", "Close");
      div.appendChild(icon);
      div.appendChild(document.createTextNode(text));
      div.appendChild(close);
      box.appendChild(div);
    },
    alert: function (t) { flash.add("alert", t); },
    warning: function (t) { flash.add("warning", t); },
    error: function (t) { flash.add("error", t); },
    clear: function () {
      var box = document.getElementById("flash");
      if (box) box.textContent = "";
    },
  };
  window.flash = flash;

  function padding() {
    var n = 5 + Math.floor(Math.random() * 16);
    var bytes = new Uint8Array(n);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes));
  }

  // Confirmation for destructive actions: any button, submit input or link
  // with data-confirm="question" asks with the browser's own dialog first
  // (CSP-safe: no inline handlers). A form may carry data-confirm too.
  // Links with data-method="DELETE|PATCH|POST" are sent as forms (with CSRF).
  document.addEventListener("click", function (ev) {
    if (!ev.target.closest) return;
    var el = ev.target.closest("a, button, input[type=submit], input[type=image]");
    if (!el) return;
    if (el.getAttribute("aria-disabled") === "true") {
      ev.preventDefault();
      ev.stopImmediatePropagation();
      return;
    }
    var msg = el.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
      return;
    }
    if (el.tagName !== "A" || !el.hasAttribute("data-method")) return;
    ev.preventDefault();
    var form = document.createElement("form");
    form.method = "POST";
    form.action = el.getAttribute("href");
    [["csrf_token", csrfToken()], ["_method", el.getAttribute("data-method")]]
      .forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
        form.appendChild(input);
      });
    document.body.appendChild(form);
    form.submit();
  }, true);
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    // A submitter with its own question was asked on click already.
    if (ev.submitter && ev.submitter.hasAttribute("data-confirm")) return;
    if (msg && !window.confirm(msg)) ev.preventDefault();
  }, true);

  // Read-only members see write forms disabled (§1.4 "disabled-controls").
  function disableControls() {
    if (!document.body.classList.contains("disabled-controls")) return;
    document.querySelectorAll("main form").forEach(function (form) {
      if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
      form.querySelectorAll("input:not([type=hidden]), select, textarea, button")
        .forEach(function (el) { el.disabled = true; });
    });
    document.querySelectorAll("main a[data-method], main a.btn[data-confirm]")
      .forEach(function (el) {
        el.classList.add("disabled");
        el.setAttribute("aria-disabled", "true");
        el.setAttribute("tabindex", "-1");
      });
  }

  function formatLeft(seconds) {
    if (seconds <= 0) return text("expired", "Expired");
    // h:mm:ss reads the same in every language the UI speaks.
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60);
    var s = Math.floor(seconds % 60);
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }
  function tick() {
    var now = Date.now() / 1000;
    document.querySelectorAll(".countdown[data-expires]").forEach(function (el) {
      el.textContent = formatLeft(Number(el.getAttribute("data-expires")) - now);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    disableControls();
    document.querySelectorAll("[data-timestamp]").forEach(function (el) {
      var d = new Date(el.getAttribute("data-timestamp"));
      if (!isNaN(d)) el.textContent = d.toLocaleString(document.documentElement.lang || undefined);
    });
    setupIssue();
    setupBulk();
    setupStatus();
  });

  // ---- single issue -------------------------------------------------------
  function setupIssue() {
    var form = document.getElementById("issue-form");
    if (!form) return;
    var result = document.getElementById("issue-result");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      flash.clear();
      var data = new FormData(form);
      var body = {
        testType: data.get("testType") || "confirmed",
        testDate: data.get("testDate") || "",
        symptomDate: data.get("symptomDate") || "",
        phone: data.get("phone") || "",
        smsTemplateLabel: data.get("smsTemplateLabel") || "",
        tzOffset: new Date().getTimezoneOffset(),
        padding: padding(),
      };
      var button = document.getElementById("issue-submit");
      button.disabled = true;
      postJSON(form.getAttribute("data-endpoint"), body).then(function (resp) {
        if (resp.status === 401 || resp.status === 403) {
          window.location.assign("/signout");
          return null;
        }
        return resp.json().then(function (json) { return [resp, json]; });
      }).then(function (pair) {
        button.disabled = false;
        if (!pair) return;
        var json = pair[1];
        if (!pair[0].ok || json.error) {
          flash.error(json.error || text("issueFailed", "Failed to issue code."));
          return;
        }
        var digits = document.getElementById("code-digits");
        digits.textContent = "";
        json.code.split("").forEach(function (ch) {
          var span = document.createElement("span");
          span.className = "digit";
          span.textContent = ch;
          digits.appendChild(span);
        });
        digits.setAttribute("data-code", json.code);
        document.getElementById("code-uuid").textContent = json.uuid;
        var cd = document.getElementById("code-countdown");
        cd.setAttribute("data-expires", json.expiresAtTimestamp);
        // With a phone the SMS link is the main result; the short code is a backup.
        var heading = document.getElementById("result-heading");
        var sent = Boolean(body.phone);
        heading.textContent = sent
          ? heading.getAttribute("data-sms") + " " + body.phone
          : heading.getAttribute("data-plain");
        document.getElementById("sms-expiry").hidden = !sent;
        document.getElementById("backup-label").hidden = !sent;
        document.getElementById("long-countdown")
          .setAttribute("data-expires", json.longExpiresAtTimestamp);
        tick();
        form.hidden = true;
        result.hidden = false;
      }).catch(function (err) {
        button.disabled = false;
        flash.error(String(err));
      });
    });
    document.getElementById("issue-reset").addEventListener("click", function () {
      form.reset();
      result.hidden = true;
      form.hidden = false;
      flash.clear();
    });
    document.getElementById("copy-uuid").addEventListener("click", function () {
      var text = document.getElementById("code-uuid").textContent;
      if (navigator.clipboard) navigator.clipboard.writeText(text);
    });
  }

  // ---- code status ----------------------------------------------------------
  function setupStatus() {
    var form = document.getElementById("status-form");
    if (!form) return;
    var input = document.getElementById("uuid");
    input.addEventListener("input", function () {
      var hex = input.value.toLowerCase().replace(/[^0-9a-f]/g, "").slice(0, 32);
      var parts = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16),
                   hex.slice(16, 20), hex.slice(20, 32)].filter(Boolean);
      input.value = parts.join("-");
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      window.location.assign("/codes/" + encodeURIComponent(input.value.trim()));
    });
  }

  // ---- bulk issue -----------------------------------------------------------
  var STORE = "encv-bulk-state";
  var SHOW_MAX = 50;

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // UUID derived from HMAC-SHA256(retry code, phone): same file + same retry
  // code gives the same UUIDs, so the server refuses duplicates (§5.1).
  function rowUUID(retryCode, phone) {
    var enc = new TextEncoder();
    return crypto.subtle.importKey("raw", enc.encode(retryCode),
      { name: "HMAC", hash: "SHA-256" }, false, ["sign"]).then(function (key) {
      return crypto.subtle.sign("HMAC", key, enc.encode(phone));
    }).then(function (sig) {
      var h = hex(sig);
      return h.slice(0, 8) + "-" + h.slice(9, 13) + "-" + h.slice(13, 17) + "-" +
        h.slice(17, 21) + "-" + h.slice(21, 33);
    });
  }

  // CSV injection (OWASP): a receipt cell a spreadsheet would run as a
  // formula gets a leading apostrophe; plain numbers stay as they are.
  // Same rule as models/stats/csvsafe.py; parseCSV undoes it on re-upload.
  var CSV_TRIGGER = /^[=+\-@\t\r]/, CSV_NUMBER = /^[+-]?\d+(\.\d+)?$/;
  function csvCell(value) {
    var text = value == null ? "" : String(value);
    return CSV_TRIGGER.test(text) && !CSV_NUMBER.test(text) ? "'" + text : text;
  }
  function csvRow(cells) { return cells.map(csvCell).join(","); }

  function parseCSV(text) {
    var rows = [];
    text.split(/\r?\n/).forEach(function (line, index) {
      if (!line.trim()) return;
      rows.push({ line: index + 1, cells: line.split(",").map(function (c) {
        c = c.trim();
        return c.charAt(0) === "'" && CSV_TRIGGER.test(c.slice(1)) ? c.slice(1) : c;
      }) });
    });
    return rows;
  }

  function randomRetryCode() {
    var alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return alphabet[b % alphabet.length];
    }).join("");
  }

  function setupBulk() {
    var form = document.getElementById("bulk-form");
    if (!form) return;
    var retry = document.getElementById("retry-code");
    var remember = document.getElementById("remember-retry");
    var saved = document.cookie.split("; ").find(function (c) {
      return c.indexOf("retryCode=") === 0;
    });
    retry.value = saved ? decodeURIComponent(saved.split("=")[1]) : randomRetryCode();
    remember.checked = Boolean(saved);
    document.getElementById("new-retry-code").addEventListener("click", function () {
      retry.value = randomRetryCode();
    });
    document.getElementById("csv").addEventListener("change", function () {
      document.getElementById("start-at").value = 1;
    });
    var state = loadState();
    // Resuming after a reload must reuse the retry code, or UUIDs would change.
    if (state.retryCode && !saved) retry.value = state.retryCode;
    render(state);
    var cancelled = false;
    document.getElementById("bulk-cancel").addEventListener("click", function () {
      cancelled = true;
    });
    document.getElementById("bulk-clear").addEventListener("click", function () {
      localStorage.removeItem(STORE);
      state = emptyState();
      render(state);
    });
    document.getElementById("bulk-receipt").addEventListener("click", function () {
      var blob = new Blob([state.receipt.join("\n") + "\n"], { type: "text/csv" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = new Date().toISOString().slice(0, 10) + "-bulk-issue-log.csv";
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var file = document.getElementById("csv").files[0];
      if (!file) { flash.error(text("chooseFile", "Choose a CSV file first.")); return; }
      if (remember.checked) {
        document.cookie = "retryCode=" + encodeURIComponent(retry.value) +
          "; max-age=86400; path=/codes; samesite=strict";
      } else {
        document.cookie = "retryCode=; max-age=0; path=/codes";
      }
      cancelled = false;
      file.text().then(function (text) {
        state = emptyState();
        state.total = parseCSV(text).length;
        return upload(parseCSV(text), state, function () { return cancelled; });
      });
    });
  }

  function emptyState() {
    return { total: 0, done: 0, ok: 0, failed: 0, skipped: 0,
             successes: [], errors: [], receipt: [], finished: false };
  }
  function loadState() {
    try { return JSON.parse(localStorage.getItem(STORE)) || emptyState(); }
    catch (e) { return emptyState(); }
  }
  function saveState(state) { localStorage.setItem(STORE, JSON.stringify(state)); }

  function fillTable(id, rows) {
    var body = document.querySelector("#" + id + " tbody");
    body.textContent = "";
    rows.slice(0, SHOW_MAX).forEach(function (cells) {
      var tr = document.createElement("tr");
      cells.forEach(function (c) {
        var td = document.createElement("td");
        td.textContent = c;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function render(state) {
    var pct = state.total ? Math.floor((100 * state.done) / state.total) : 0;
    document.getElementById("bulk-progress").value = pct;
    document.getElementById("bulk-percent").textContent = pct + "%";
    document.getElementById("bulk-ok").textContent = state.ok;
    document.getElementById("bulk-failed").textContent = state.failed;
    document.getElementById("bulk-skipped").textContent = state.skipped;
    fillTable("bulk-successes", state.successes);
    fillTable("bulk-errors", state.errors);
    document.getElementById("bulk-too-many").hidden =
      state.successes.length <= SHOW_MAX && state.errors.length <= SHOW_MAX;
    document.getElementById("bulk-receipt").hidden = state.receipt.length === 0;
    document.getElementById("bulk-status").textContent =
      state.finished ? text("bulkDone", "Done: {ok} issued, {failed} failed.",
        { ok: state.ok, failed: state.failed }) : "";
  }

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function upload(rows, state, isCancelled) {
    var startInput = document.getElementById("start-at");
    var startAt = Math.max(1, Number(startInput.value) || 1);
    var retryCode = document.getElementById("retry-code").value;
    state.retryCode = retryCode;
    var select = document.getElementById("smsTemplateLabel");
    var label = select ? select.value : "";
    var start = document.getElementById("bulk-start");
    var cancel = document.getElementById("bulk-cancel");
    start.disabled = true; cancel.hidden = false;
    var todo = [];
    rows.forEach(function (row) {
      var c = row.cells;
      var receiptBase = [c[0] || "", c[1] || "", c[2] || "", c[3] || "", "", ""];
      if (row.line < startAt) { state.done++; state.skipped++; return; }
      if (c[7] === "success") {
        state.done++; state.skipped++;
        state.receipt.push(csvRow(receiptBase.concat([c[6] || "", "success"])));
        return;
      }
      if (!c[0]) {
        state.done++; state.failed++;
        state.errors.push([row.line, "", c[1] || "", text("phoneMissing", "phone number missing")]);
        // The receipt is machine-read (§5.1): its reason stays English.
        state.receipt.push(csvRow(receiptBase.concat(["", "invalid_client",
                                                      "phone number missing"])));
        return;
      }
      todo.push(row);
    });
    var batches = [];
    for (var i = 0; i < todo.length; i += 10) batches.push(todo.slice(i, i + 10));

    function entry(row, uuid) {
      var c = row.cells;
      return { phone: c[0], testDate: c[1] || "", symptomDate: c[2] || "",
               testType: c[3] || "confirmed", uuid: uuid,
               tzOffset: new Date().getTimezoneOffset(), smsTemplateLabel: label };
    }

    function showBatch(batch) {
      fillTable("bulk-batch", batch.map(function (r) { return [r.cells[0], r.cells[1] || ""]; }));
    }

    function sendBatch(batch, attempt) {
      return Promise.all(batch.map(function (row) {
        var own = row.cells[6];
        return own && own.length === 36 ? Promise.resolve(own) : rowUUID(retryCode, row.cells[0]);
      })).then(function (uuids) {
        var body = { codes: batch.map(function (r, k) { return entry(r, uuids[k]); }),
                     padding: padding() };
        return postJSON("/codes/batch-issue", body).then(function (resp) {
          if (resp.status === 401) { window.location.assign("/signout"); throw new Error("signed out"); }
          return resp.json().then(function (json) {
            var abort = json.errorCode === "maintenance_mode" || json.errorCode === "sms_queue_full" ||
              resp.status === 403 || resp.status === 404 || resp.status === 503;
            if (abort) throw new Error(json.error || text("uploadAborted", "The upload was stopped."));
            var retryAfter = resp.headers.get("Retry-After");
            if (!json.codes && retryAfter && attempt < 3) {
              var wait = Math.max(1, (Date.parse(retryAfter) - Date.now()) / 1000 || Number(retryAfter) || 1);
              document.getElementById("bulk-status").textContent =
                text("rateLimited", "Rate limited. Sleeping for {seconds} s.",
                  { seconds: Math.ceil(wait) });
              return sleep(wait * 1000).then(function () { return sendBatch(batch, attempt + 1); });
            }
            return { uuids: uuids, json: json };
          });
        });
      });
    }

    function record(batch, outcome) {
      var codes = (outcome.json && outcome.json.codes) || [];
      batch.forEach(function (row, k) {
        var c = row.cells, res = codes[k] || { error: outcome.json.error, errorCode: outcome.json.errorCode };
        var uuid = res.uuid || outcome.uuids[k];
        var base = [c[0], c[1] || "", c[2] || "", c[3] || "", "", "", uuid];
        state.done++;
        if (res.code || (!res.error && res.uuid)) {
          state.ok++;
          state.successes.push([row.line, c[0], c[1] || "", uuid]);
          state.receipt.push(csvRow(base.concat(["success"])));
        } else if (res.errorCode === "uuid_already_exists") {
          state.skipped++;
          state.receipt.push(csvRow(base.concat(["uuid_already_exists"])));
        } else {
          state.failed++;
          state.errors.push([row.line, c[0], c[1] || "", res.error || text("issueFailed", "Failed to issue code.")]);
          state.receipt.push(csvRow(base.concat([res.errorCode || "error", (res.error || "").replace(/,/g, ";")])));
        }
      });
      startInput.value = batch[batch.length - 1].line + 1;
      saveState(state);
      render(state);
    }

    saveState(state);
    render(state);
    var chain = Promise.resolve();
    batches.forEach(function (batch) {
      chain = chain.then(function () {
        if (isCancelled()) throw new Error(text("uploadCancelled", "The upload was cancelled."));
        showBatch(batch);
        return sendBatch(batch, 1).then(function (outcome) { record(batch, outcome); });
      });
    });
    return chain.then(function () {
      state.finished = true;
      saveState(state);
      render(state);
    }).catch(function (err) {
      flash.error(String(err.message || err));
      saveState(state);
      render(state);
    }).then(function () {
      start.disabled = false; cancel.hidden = true;
    });
  }
})();
