/* Forms with JavaScript on: the live availability calendar, and sending a
   form without leaving the page. The answer is the booking function's own
   HTML page (the same one a plain post shows); its form area replaces ours,
   so errors and results look exactly as without JavaScript. */
(function () {
  "use strict";
  /* The texts shown, in the page's language, from the theme's translation
     table (form_js_… in themes/<theme>/i18n/forms.*.yaml): the calendar's
     from forms-texts.<lang>.js (window.sbizFormTexts, loaded before this
     script), a job's application section's from its data-t-… attributes,
     which come first. {name} is filled in. */
  function fill(s, values) {
    return s.replace(/\{(\w+)\}/g, function (all, k) {
      return values && values[k] !== undefined ? String(values[k]) : all;
    });
  }
  function texts(el) {
    var table = window.sbizFormTexts || {};
    return function (name, values) {
      var s = el.getAttribute("data-t-" + name);
      return fill(s === null ? table[name] || "" : s, values);
    };
  }

  function key() {
    var b = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }

  function text(parent, cls, t) {
    var s = document.createElement("span");
    s.className = cls;
    s.textContent = t;
    parent.appendChild(s);
  }
  function hidden(parent, t) { text(parent, "visually-hidden", t); }

  function weekday(d) {
    var p = d.split("-");
    return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2])).getUTCDay();
  }

  /* A day as the page's language writes it ("11월 28일(토)", "Sat 28
     November"), as the words before the day's number, the number and the
     words after. */
  function dateParts(tr, d) {
    var p = d.split("-");
    var values = { month: tr("months").split(" ")[+p[1] - 1], weekday: tr("weekdays").split(" ")[weekday(d)] };
    var at = tr("date").split("{day}");
    return [fill(at[0], values), String(+p[2]), fill(at.slice(1).join("{day}"), values)];
  }

  function calendar(form) {
    var box = form.querySelector("[data-calendar]");
    if (!box) return;
    var tr = texts(box);
    /* Without its texts (a theme without form_js_ texts) the calendar
       stays off: the plain date and time fields work on their own. */
    if (!tr("calendar-title")) return;
    function label(d) { return dateParts(tr, d).join(""); }
    /* The page holds only the calendar's settings (it is of no use without
       JavaScript); its title, help and live region are made here. */
    if (!box.querySelector("[data-days]")) {
      var part = function (tag, cls, t) {
        var e = document.createElement(tag);
        e.className = cls;
        if (t) e.textContent = t;
        box.appendChild(e);
        return e;
      };
      var title = part("p", "calendar-title");
      title.appendChild(document.createElement("strong")).textContent = tr("calendar-title");
      part("p", "hint", tr("calendar-help")).id = form.id + "-calendar-help";
      var group = function (cls, attr, name) {
        var g = part("div", cls);
        g.setAttribute(attr, "");
        g.setAttribute("role", "group");
        g.setAttribute("aria-label", name);
      };
      group("calendar-days", "data-days", tr("days"));
      group("calendar-slots", "data-slots", tr("slots"));
      var live = part("p", "calendar-status");
      live.setAttribute("data-announce", "");
      live.setAttribute("aria-live", "polite");
    }
    var days = box.querySelector("[data-days]");
    var slots = box.querySelector("[data-slots]");
    var say = box.querySelector("[data-announce]");
    var date = form.elements["date"], start = form.elements["start"];
    var data = null;
    function button(text, pressed, disabled) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-pressed", pressed ? "true" : "false");
      if (disabled) b.disabled = true;
      return b;
    }
    function showSlots(day) {
      slots.textContent = "";
      if (!day) return;
      day.slots.forEach(function (s) {
        var b = button(s.start + (s.free ? "" : " " + tr("booked")), date.value === day.date && start.value === s.start, !s.free);
        b.setAttribute("data-start", s.start);
        b.addEventListener("click", function () {
          date.value = day.date;
          start.value = s.start;
          Array.prototype.forEach.call(slots.querySelectorAll("button"), function (x) { x.setAttribute("aria-pressed", x === b ? "true" : "false"); });
          say.textContent = tr("picked-start", { date: label(day.date), start: s.start });
        });
        slots.appendChild(b);
      });
    }
    /* The days as a month-style grid (WAI-ARIA grid pattern): one Tab stop,
       arrow keys move a day or a week, Home and End go to the week's ends,
       Enter or Space picks the day. Days that cannot be booked can be
       reached (and say why) but not picked. */
    var STATE = { holiday: "holiday", closed: "closed", too_soon: "too-soon", too_far: "too-far" };
    function render() {
      days.textContent = "";
      var all = data.days || [];
      var open = all.filter(function (d) { return d.state === "open"; });
      if (!open.length) { say.textContent = tr("no-days"); return; }
      var table = document.createElement("table");
      table.className = "calendar-grid";
      table.setAttribute("role", "grid");
      table.setAttribute("aria-label", tr("grid"));
      var head = table.createTHead().insertRow();
      head.setAttribute("role", "row");
      tr("weekdays").split(" ").forEach(function (w) {
        var th = document.createElement("th");
        th.setAttribute("role", "columnheader");
        th.setAttribute("scope", "col");
        th.textContent = w;
        head.appendChild(th);
      });
      var body = table.createTBody();
      var lead = weekday(all[0].date), buttons = [], row = null;
      for (var i = 0; i < lead + all.length; i++) {
        if (i % 7 === 0) { row = body.insertRow(); row.setAttribute("role", "row"); }
        var cell = row.insertCell();
        cell.setAttribute("role", "gridcell");
        if (i < lead) continue;
        var d = all[i - lead];
        var free = d.slots.filter(function (s) { return s.free; }).length;
        var usable = d.state === "open" && free > 0;
        var b = document.createElement("button");
        b.type = "button";
        b.tabIndex = -1;
        b.setAttribute("data-date", d.date);
        b.setAttribute("aria-pressed", date.value === d.date ? "true" : "false");
        if (!usable) b.setAttribute("aria-disabled", "true");
        /* The name is the visible text plus hidden words: "11월 28일(토),
           빈 시간 3개" (or why the day cannot be picked). */
        var parts = dateParts(tr, d.date);
        hidden(b, parts[0]);
        text(b, "calendar-day", parts[1]);
        hidden(b, parts[2] + ", ");
        if (d.state === "open" && free) {
          var note = tr("free").split("{n}");
          hidden(b, note[0]);
          text(b, "calendar-note", String(free));
          hidden(b, note.slice(1).join(""));
        } else if (d.state === "open") {
          text(b, "calendar-note", tr("full"));
        } else {
          hidden(b, tr("unavailable", { why: tr(STATE[d.state] || "not-bookable") }));
        }
        b.addEventListener("click", pick(d, free, b));
        cell.appendChild(b);
        buttons.push(b);
      }
      while (row && row.cells.length < 7) row.insertCell().setAttribute("role", "gridcell");
      var current = buttons.filter(function (b) { return b.getAttribute("aria-pressed") === "true"; })[0] ||
        buttons.filter(function (b) { return !b.hasAttribute("aria-disabled"); })[0] || buttons[0];
      current.tabIndex = 0;
      table.addEventListener("keydown", function (e) {
        var i = buttons.indexOf(document.activeElement);
        if (i < 0) return;
        var dow = (i + lead) % 7;
        var j = { ArrowLeft: i - 1, ArrowRight: i + 1, ArrowUp: i - 7, ArrowDown: i + 7,
          Home: i - dow, End: i + 6 - dow }[e.key];
        if (j === undefined) return;
        e.preventDefault();
        j = Math.max(0, Math.min(buttons.length - 1, j));
        buttons[i].tabIndex = -1;
        buttons[j].tabIndex = 0;
        buttons[j].focus();
      });
      days.appendChild(table);
      function pick(d, free, b) {
        return function () {
          if (b.hasAttribute("aria-disabled")) {
            say.textContent = tr("cannot-pick", { date: b.textContent });
            return;
          }
          buttons.forEach(function (x) {
            x.setAttribute("aria-pressed", x === b ? "true" : "false");
            x.tabIndex = x === b ? 0 : -1;
          });
          date.value = d.date;
          showSlots(d);
          say.textContent = tr("picked-day", { date: label(d.date), n: free });
          var first = slots.querySelector("button:not([disabled])");
          if (first) first.focus();
        };
      }
      var chosen = open.filter(function (d) { return d.date === date.value; })[0];
      showSlots(chosen);
    }
    var url = box.getAttribute("data-availability");
    /* The function's clock decides "today" (the next 14 days). */
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (j) {
        data = j;
        box.hidden = false;
        /* The plain form that asks for a date's free times as a page is
           for browsers without the calendar. */
        var area = form.parentNode, plain = area && area.querySelector("[data-times-form]");
        if (plain) plain.hidden = true;
        render();
      })
      .catch(function () { /* the plain fields keep working */ });
  }

  function enhance(area) {
    var form = area.querySelector("form[data-sbiz-form]");
    if (!form || form.getAttribute("data-enhanced")) return;
    /* 내 예약·신청 moves from page to page with a cookie (the code sent,
       then the session): the browser posts those forms itself, so that a
       code is never sent or used twice by a repeated post. */
    if (/^my_/.test(form.getAttribute("data-sbiz-form"))) return;
    form.setAttribute("data-enhanced", "1");
    calendar(form);
    /* One idempotency key per filled-in form: a double click, or the plain
       post that follows a lost answer, repeats the same request and ends on
       the same booking instead of "taken". A form shown again after an
       error comes with a fresh key from the function. */
    var keyField = form.elements["idempotency_key"];
    if (!keyField) {
      keyField = document.createElement("input");
      keyField.type = "hidden";
      keyField.name = "idempotency_key";
      form.appendChild(keyField);
    }
    if (!keyField.value) keyField.value = key();
    form.addEventListener("submit", function (ev) {
      if (!window.fetch || !window.DOMParser) return;
      ev.preventDefault();
      var btn = form.querySelector("button[type=submit]");
      if (btn) btn.disabled = true;
      var sent = new FormData(form);
      var body = new URLSearchParams(sent);
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "text/html", "Idempotency-Key": keyField.value }
      }).then(function (r) {
        return r.text().then(function (html) { return { r: r, html: html }; });
      }).then(function (got) {
        var doc = new DOMParser().parseFromString(got.html, "text/html");
        var next = doc.querySelector("[data-form-area]");
        if (!next) { throw new Error("no form area"); }
        area.innerHTML = next.innerHTML;
        var summary = area.querySelector("[data-error-summary]");
        var result = area.querySelector("[data-result]");
        if (summary) {
          keep(area, sent);
          summary.focus();
          document.title = doc.title;
          enhance(area);
        } else if (result) {
          /* The function answered with its own page for this record (post,
             redirect, get): put its address in the bar, so that a reload
             shows the confirmation again and sends nothing. */
          if (got.r.redirected && got.r.url) {
            try { history.replaceState(null, "", got.r.url); } catch (e) { /* keep the page */ }
          }
          document.title = doc.title;
          result.focus();
        }
      }).catch(function () {
        if (btn) btn.disabled = false;
        form.submit();
      });
    });
  }

  /* After an error, what the person typed stays, whole: a text the function
     had to cut (a body too large) is put back as it was typed. */
  function keep(area, sent) {
    var form = area.querySelector("form[data-sbiz-form]");
    if (!form) return;
    sent.forEach(function (value, name) {
      var el = form.elements[name];
      if (!el || typeof value !== "string" || el.type === "hidden") return;
      if ((el.tagName === "TEXTAREA" || el.type === "text") && value.indexOf(el.value) === 0) {
        el.value = value;
      }
    });
  }

  /* A job posting's form: the static page cannot know that staff marked
     the posting filled, or that its deadline passed since the build, so the
     page asks the function and, when it takes no applications, says so in
     place of the form (a late post still gets a clear error without this). */
  var JOB_CLOSED = { filled: 1, closed: 1, upcoming: 1 };
  function jobStatus(section) {
    var form = section.querySelector("[data-job-form]");
    var box = section.querySelector("[data-job-closed]");
    var text = section.querySelector("[data-job-closed-text]");
    if (!form || !box || !text) return;
    var tr = texts(section);
    /* Before the opening day the page's notice says when applications open
       and the form stays below it to get ready with, as on a programme's
       page (site.js hides the notice from that day). */
    var opens = section.querySelector("[data-opens]");
    function close(state) {
      if (!JOB_CLOSED[state] || form.hidden || !tr(state)) return;
      if (state === "upcoming" && opens && !opens.hidden) return;
      /* Never take the form away from someone already filling it in. */
      if (section.contains(document.activeElement) && document.activeElement !== document.body) return;
      form.hidden = true;
      text.textContent = tr(state);
      box.hidden = false;
      var label = document.querySelector(".lead .status");
      if (label) {
        label.textContent = tr("status-" + state);
        label.className = "status status-" + (state === "upcoming" ? "upcoming" : "closed");
      }
    }
    if (window.sbizStatus) {
      var s = window.sbizStatus.of(section.getAttribute("data-posted"), section.getAttribute("data-deadline"));
      if (s !== "open") close(s);
    }
    if (!window.fetch) return;
    fetch(section.getAttribute("data-job-status"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (j) { if (!j.accepting) close(j.state); })
      .catch(function () { /* the form stays; the function answers a late post with its reason */ });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-job-status]"), jobStatus);
    Array.prototype.forEach.call(document.querySelectorAll("[data-form-area]"), enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
