/* Forms with JavaScript on: the live availability calendar, and sending a
   form without leaving the page. The answer is the booking function's own
   HTML page (the same one a plain post shows); its form area replaces ours,
   so errors and results look exactly as without JavaScript. */
(function () {
  "use strict";
  var WEEK = ["일", "월", "화", "수", "목", "금", "토"];

  function key() {
    var b = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }

  function label(d) {
    var p = d.split("-");
    var w = new Date(Date.UTC(+p[0], +p[1] - 1, +p[2])).getUTCDay();
    return (+p[1]) + "월 " + (+p[2]) + "일(" + WEEK[w] + ")";
  }

  function calendar(form) {
    var box = form.querySelector("[data-calendar]");
    if (!box) return;
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
        var b = button(s.start + (s.free ? "" : " 예약됨"), date.value === day.date && start.value === s.start, !s.free);
        b.setAttribute("data-start", s.start);
        b.addEventListener("click", function () {
          date.value = day.date;
          start.value = s.start;
          Array.prototype.forEach.call(slots.querySelectorAll("button"), function (x) { x.setAttribute("aria-pressed", x === b ? "true" : "false"); });
          say.textContent = label(day.date) + " " + s.start + " 시작을 골랐습니다.";
        });
        slots.appendChild(b);
      });
    }
    function render() {
      days.textContent = "";
      var open = data.days.filter(function (d) { return d.state === "open"; });
      if (!open.length) { say.textContent = "예약할 수 있는 날이 없습니다."; return; }
      open.forEach(function (d) {
        var free = d.slots.filter(function (s) { return s.free; }).length;
        var b = button(label(d.date) + " · 빈 시간 " + free, date.value === d.date, free === 0);
        b.setAttribute("data-date", d.date);
        b.addEventListener("click", function () {
          Array.prototype.forEach.call(days.querySelectorAll("button"), function (x) { x.setAttribute("aria-pressed", x === b ? "true" : "false"); });
          date.value = d.date;
          showSlots(d);
          say.textContent = label(d.date) + "을 골랐습니다. 빈 시간 " + free + "개가 있습니다.";
          var first = slots.querySelector("button:not([disabled])");
          if (first) first.focus();
        });
        days.appendChild(b);
      });
      var chosen = open.filter(function (d) { return d.date === date.value; })[0];
      showSlots(chosen);
    }
    var url = box.getAttribute("data-availability");
    /* The function's clock decides "today" (the next 14 days). */
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (j) { data = j; box.hidden = false; render(); })
      .catch(function () { /* the plain fields keep working */ });
  }

  function enhance(area) {
    var form = area.querySelector("form[data-sbiz-form]");
    if (!form || form.getAttribute("data-enhanced")) return;
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
  var JOB_CLOSED = {
    filled: "채용이 끝나 이 구인은 더 이상 지원을 받지 않습니다.",
    closed: "지원 마감일이 지나 더 이상 지원을 받지 않습니다.",
    upcoming: "아직 지원을 받지 않습니다. 접수 기간을 확인해 주세요."
  };
  function jobStatus(section) {
    var form = section.querySelector("[data-job-form]");
    var box = section.querySelector("[data-job-closed]");
    var text = section.querySelector("[data-job-closed-text]");
    if (!form || !box || !text) return;
    function close(state) {
      if (!JOB_CLOSED[state] || form.hidden) return;
      /* Never take the form away from someone already filling it in. */
      if (section.contains(document.activeElement) && document.activeElement !== document.body) return;
      form.hidden = true;
      text.textContent = JOB_CLOSED[state];
      box.hidden = false;
      var label = document.querySelector(".lead .status");
      if (label) {
        label.textContent = state === "filled" ? "채용 완료" : state === "upcoming" ? "예정" : "마감";
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
