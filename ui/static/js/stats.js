// Charts of the statistics pages, drawn with the vendored Chart.js from the
// pages' own JSON exports. No inline script: the markup says what to draw.
//
//  * /realm/stats: #stats carries the export URLs; canvases carry data-chart.
//  * any page: <canvas data-stats-url=".json" data-stats-series="a,b"> draws
//    a per-day line chart (ui/templates/stats/_chart.mako).
//
// After drawing, each canvas gets data-drawn = the sum of the values drawn,
// which tests read (page-side eval is blocked by the CSP).
(function () {
  "use strict";
  if (window.encvStats) return; // the script may be included more than once
  window.encvStats = true;

  var COLORS = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1",
                "#20c997", "#6c757d", "#d63384", "#0dcaf0", "#ffc107"];
  var LABELS = {
    codes_issued: "Codes issued",
    codes_claimed: "Codes claimed",
    codes_invalid: "Invalid codes",
    tokens_claimed: "Tokens claimed",
    tokens_invalid: "Invalid tokens",
    user_reports_issued: "Issued",
    user_reports_claimed: "Claimed",
    user_report_tokens_claimed: "Tokens claimed",
    user_reports_invalid_nonce: "Device mismatch",
    total_publish_requests: "Publish requests",
    total_teks_published: "TEKs published",
  };
  var OS = [["unknown_os", "Unknown"], ["ios", "iOS"], ["android", "Android"]];
  var CLAIM_BUCKETS = ["1m", "5m", "15m", "30m", "1h", "2h", "3h", "6h",
                       "12h", "24h", ">24h"];
  var DAY_MS = 86400000;

  function narrow() {
    return window.matchMedia("(max-width: 575.98px)").matches;
  }

  function getJSON(url) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
    }).then(function (resp) {
      if (!resp.ok) throw new Error("HTTP " + resp.status);
      return resp.json();
    });
  }

  function oldestFirst(stats) {
    return (stats || []).slice().sort(function (a, b) {
      return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
    });
  }

  function dayLabel(iso) { return iso.slice(5, 10); } // MM-DD

  function sum(values) {
    return values.reduce(function (acc, v) { return acc + (v || 0); }, 0);
  }

  function status(canvas, text) {
    var box = canvas.closest(".card-body");
    var line = box ? box.querySelector(".stats-status") : null;
    if (!line) return;
    line.textContent = text;
    line.hidden = !text;
  }

  function options(stacked, xTitle) {
    var phone = narrow();
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: true,
      aspectRatio: phone ? 1.15 : 2.8,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: {
          position: "bottom",
          labels: { boxWidth: phone ? 10 : 14, font: { size: phone ? 11 : 12 } },
        },
      },
      scales: {
        x: {
          stacked: !!stacked,
          title: { display: !!xTitle, text: xTitle || "" },
          ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: phone ? 6 : 14 },
        },
        y: { stacked: !!stacked, beginAtZero: true, ticks: { precision: 0 } },
      },
    };
  }

  // datasets: [{label, data}] drawn over labels; kind "line" or "bar".
  // The arguments are kept on the canvas so a change of width (a phone
  // turned sideways) redraws with the other aspect ratio.
  function draw(canvas, kind, labels, datasets, stacked, xTitle) {
    if (!window.Chart) { status(canvas, "Charts could not be loaded."); return; }
    canvas.encvDraw = function () {
      draw(canvas, kind, labels, datasets, stacked, xTitle);
    };
    var total = 0;
    var sets = datasets.map(function (set, i) {
      var color = set.color || COLORS[i % COLORS.length];
      total += sum(set.data);
      return {
        label: set.label, data: set.data.slice(), spanGaps: !!set.spanGaps,
        borderColor: color, backgroundColor: kind === "line" ? color : color + "cc",
        // Straight segments and visible points: a week of data must not
        // look like a smooth curve between days that were never measured.
        pointRadius: kind === "line" && labels.length <= 31 ? 2 : 0,
        borderWidth: kind === "line" ? 2 : 0, tension: 0,
      };
    });
    var old = window.Chart.getChart(canvas);
    if (old) old.destroy();
    new window.Chart(canvas, { type: kind, data: { labels: labels, datasets: sets },
                               options: options(stacked, xTitle) });
    canvas.setAttribute("data-drawn", String(total));
    status(canvas, total ? "" : "No data in this period.");
  }

  function series(stats, pick) {
    return stats.map(function (s) { return pick(s.data || {}); });
  }

  // ---- generic per-day charts (API key and user pages) ----

  function drawPerDay(canvas) {
    var names = (canvas.getAttribute("data-stats-series") || "codes_issued").split(",");
    getJSON(canvas.getAttribute("data-stats-url")).then(function (body) {
      var stats = oldestFirst(body.statistics);
      draw(canvas, "line", stats.map(function (s) { return dayLabel(s.date); }),
           names.map(function (name) {
             return { label: LABELS[name] || name,
                      data: series(stats, function (d) { return d[name] || 0; }) };
           }), false);
    }).catch(function () { status(canvas, "Statistics could not be loaded."); });
  }

  // ---- the realm statistics page ----

  function histogram(stats, field, labels, days) {
    var recent = stats.filter(function (s) { return s.data && s.data[field]; })
                      .slice(-days);
    var totals = labels.map(function () { return 0; });
    recent.forEach(function (s) {
      s.data[field].forEach(function (v, i) { if (i < totals.length) totals[i] += v; });
    });
    return totals;
  }

  function bucketLabels(count) {
    var labels = [];
    for (var i = 0; i < count - 1; i++) labels.push(String(i));
    labels.push(">" + (count - 2));
    return labels;
  }

  // A key-server day counts once it has 10 requests or ended 48h ago.
  function settledDay(s) {
    if (!s.data || s.data.tek_age_distribution === null) return false;
    var end = Date.parse(s.date) + DAY_MS;
    return s.data.total_publish_requests >= 10 || Date.now() - end > 2 * DAY_MS;
  }

  function perOs(stats, field) {
    return OS.map(function (os) {
      return { label: os[1],
               data: series(stats, function (d) { return (d[field] || {})[os[0]] || 0; }) };
    });
  }

  function drawComposite(root, body, chart) {
    var stats = oldestFirst(body.statistics);
    var labels = stats.map(function (s) { return dayLabel(s.date); });
    var smoothing = parseInt(root.querySelector("#smoothing").value, 10) || 7;
    var canvas = function (name) { return root.querySelector('canvas[data-chart="' + name + '"]'); };
    var pick = function (name) { return function (d) { return d[name] || 0; }; };
    var named = function (names) {
      return names.map(function (n) { return { label: LABELS[n], data: series(stats, pick(n)) }; });
    };
    var c;
    if (chart === "all" && (c = canvas("codes"))) {
      var sets = named(["codes_issued", "codes_claimed", "codes_invalid", "tokens_claimed"]);
      if (body.has_key_server_stats) {
        sets.push({ label: LABELS.total_publish_requests, data: stats.map(function (s) {
          return settledDay(s) ? s.data.total_publish_requests : null; }) });
      }
      draw(c, "line", labels, sets, false);
    }
    if (chart === "all" && (c = canvas("invalid-os"))) {
      draw(c, "bar", labels, perOs(stats, "codes_invalid_by_os"), true);
    }
    if (chart === "all" && (c = canvas("user-report"))) {
      draw(c, "line", labels, named(["user_reports_issued", "user_reports_claimed",
                                     "user_report_tokens_claimed",
                                     "user_reports_invalid_nonce"]), false);
    }
    if (chart === "all" && (c = canvas("user-report-os"))) {
      draw(c, "bar", labels, perOs(stats, "user_reports_invalid_nonce_by_os"), true);
    }
    if (chart === "all" && (c = canvas("token-source"))) {
      draw(c, "bar", labels, [
        { label: "Manual & automated", data: series(stats, function (d) {
          return Math.max(0, (d.tokens_claimed || 0) - (d.user_report_tokens_claimed || 0)); }) },
        { label: "User report", data: series(stats, pick("user_report_tokens_claimed")) },
      ], true);
    }
    if ((c = canvas("claim-age"))) {
      draw(c, "bar", CLAIM_BUCKETS, [{
        label: "Codes claimed within (last " + smoothing + " day" + (smoothing > 1 ? "s" : "") + ")",
        data: histogram(stats, "code_claim_age_distribution", CLAIM_BUCKETS, smoothing),
      }], false, "Time until claimed");
    }
    if (chart === "all" && (c = canvas("claim-mean"))) {
      draw(c, "line", labels, [{
        label: "Mean minutes until claimed",
        data: series(stats, function (d) {
          return d.codes_claimed ? Math.round(d.code_claim_mean_age_seconds / 6) / 10 : null; }),
        spanGaps: true,
      }], false);
    }
    var ks = stats.filter(settledDay);
    var ksLabels = ks.map(function (s) { return dayLabel(s.date); });
    if (chart === "all" && (c = canvas("publish-os"))) {
      draw(c, "bar", ksLabels, [["unknown", "Unknown"], ["ios", "iOS"], ["android", "Android"]]
        .map(function (os) {
          return { label: os[1], data: series(ks, function (d) { return d.publish_requests[os[0]] || 0; }) };
        }), true);
    }
    if (chart === "all" && (c = canvas("teks"))) {
      draw(c, "line", ksLabels, [{ label: LABELS.total_teks_published,
                                   data: series(ks, pick("total_teks_published")) }], false);
    }
    if ((c = canvas("tek-age"))) {
      var tekLabels = bucketLabels(17);
      draw(c, "bar", tekLabels, [{ label: "EN days active before upload",
        data: histogram(ks, "tek_age_distribution", tekLabels, smoothing) }],
        false, "Days");
    }
    if ((c = canvas("onset"))) {
      var onsetLabels = bucketLabels(31);
      draw(c, "bar", onsetLabels, [{ label: "Onset to upload",
        data: histogram(ks, "onset_to_upload_distribution", onsetLabels, smoothing) }],
        false, "Days");
    }
  }

  // SMS errors: one stacked series per provider error code.
  function drawSmsErrors(canvas, body) {
    var stats = oldestFirst(body.statistics);
    var codes = {};
    stats.forEach(function (s) {
      (s.error_data || []).forEach(function (e) { codes[e.error_code] = true; });
    });
    var byDate = {};
    stats.forEach(function (s) { byDate[s.date.slice(0, 10)] = s.error_data || []; });
    var days = [];
    var today = new Date();
    for (var n = 89; n >= 0; n--) {
      days.push(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(),
                                  today.getUTCDate() - n)).toISOString().slice(0, 10));
    }
    draw(canvas, "bar", days.map(function (d) { return d.slice(5); }),
         Object.keys(codes).sort().map(function (code) {
           return { label: "Error " + code, data: days.map(function (d) {
             var hit = (byDate[d] || []).filter(function (e) { return e.error_code === code; });
             return hit.length ? hit[0].quantity : 0; }) };
         }), true);
  }

  // Tables of codes per day, each day expandable to its issuers.
  function fillTable(table, body, listName, keyOf, countName) {
    var tbody = table.querySelector("tbody");
    tbody.textContent = "";
    var total = 0;
    (body.statistics || []).forEach(function (s, index) {
      var items = (s[listName] || []).filter(function (i) { return i[countName] > 0; });
      var dayTotal = sum(items.map(function (i) { return i[countName]; }));
      if (!dayTotal) return;
      total += dayTotal;
      var row = tbody.insertRow();
      row.insertCell().textContent = s.date.slice(0, 10);
      var count = row.insertCell();
      count.className = "text-end";
      count.textContent = String(dayTotal);
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn btn-link btn-sm p-0";
      btn.textContent = "Details";
      btn.setAttribute("aria-expanded", "false");
      row.insertCell().appendChild(btn);
      var detail = items.map(function (item) {
        var sub = tbody.insertRow();
        sub.hidden = true;
        sub.className = "table-light small stats-detail";
        sub.insertCell().textContent = keyOf(item);
        var n = sub.insertCell();
        n.className = "text-end";
        n.textContent = String(item[countName]);
        sub.insertCell();
        return sub;
      });
      btn.addEventListener("click", function () {
        var open = btn.getAttribute("aria-expanded") !== "true";
        btn.setAttribute("aria-expanded", String(open));
        detail.forEach(function (r) { r.hidden = !open; });
      });
      row.setAttribute("data-index", String(index));
    });
    if (!total) {
      var empty = tbody.insertRow();
      var cell = empty.insertCell();
      cell.colSpan = 3;
      cell.className = "text-body-secondary";
      cell.textContent = "No codes in this period.";
    }
    table.setAttribute("data-drawn", String(total));
  }

  function statsPage(root) {
    var composite = null;
    getJSON(root.getAttribute("data-composite-url")).then(function (body) {
      composite = body;
      drawComposite(root, body, "all");
    }).catch(function () {
      root.querySelectorAll("canvas[data-chart]").forEach(function (c) {
        status(c, "Statistics could not be loaded.");
      });
    });
    root.querySelector("#smoothing").addEventListener("change", function () {
      if (composite) drawComposite(root, composite, "distributions");
    });
    var users = root.querySelector('table[data-table="per-user"]');
    getJSON(root.getAttribute("data-users-url")).then(function (body) {
      fillTable(users, body, "issuer_data", function (i) {
        return i.name + " (" + i.email + ")"; }, "codes_issued");
    }).catch(function () { users.setAttribute("data-drawn", "error"); });
    var issuers = root.querySelector('table[data-table="external-issuers"]');
    getJSON(root.getAttribute("data-issuers-url")).then(function (body) {
      fillTable(issuers, body, "issuer_data", function (i) { return i.issuer_id; },
                "codes_issued");
    }).catch(function () { issuers.setAttribute("data-drawn", "error"); });
    var smsUrl = root.getAttribute("data-sms-errors-url");
    var smsCanvas = root.querySelector('canvas[data-chart="sms-errors"]');
    if (smsUrl && smsCanvas) {
      getJSON(smsUrl).then(function (body) { drawSmsErrors(smsCanvas, body); })
        .catch(function () { status(smsCanvas, "Statistics could not be loaded."); });
    }
  }

  function redrawAll() {
    document.querySelectorAll("canvas").forEach(function (c) {
      if (c.encvDraw) c.encvDraw();
    });
  }

  function start() {
    window.matchMedia("(max-width: 575.98px)").addEventListener("change", redrawAll);
    var root = document.getElementById("stats");
    if (root) statsPage(root);
    document.querySelectorAll("canvas[data-stats-url]").forEach(drawPerDay);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
