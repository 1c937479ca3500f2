// Small enhancements; every page works without them.
(function () {
  var d = document;

  // 1. Live status: corrects 예정 / 모집 중 (지원사업은 접수 중) / 마감 from the visitor's clock
  //    (Korea time); the pages were built at one moment and may be served for days.
  var kst = new Date(Date.now() + 9 * 36e5).toISOString().slice(0, 10);
  //    While open, programmes and jobs say 모집 중 and policies 접수 중
  //    (data-open; a label built open has none, its text is the open label);
  //    docs/glossary.md. The English edition (<html lang="en">) says them
  //    in English.
  var labels = d.documentElement.lang === "en"
    ? { upcoming: "Upcoming", open: "Open", closed: "Closed" }
    : { upcoming: "예정", open: "모집 중", closed: "마감" };
  function status(from, until) {
    return kst < from ? "upcoming" : kst <= until ? "open" : "closed";
  }
  function label(s, open) {
    return s === "open" && open ? open : labels[s];
  }
  function fixStatus(root) {
    var els = root.querySelectorAll(".status[data-from][data-until]");
    for (var i = 0; i < els.length; i++) {
      var s = status(els[i].getAttribute("data-from"), els[i].getAttribute("data-until"));
      if (!els[i].hasAttribute("data-open")) els[i].setAttribute("data-open", els[i].textContent);
      els[i].textContent = label(s, els[i].getAttribute("data-open"));
      els[i].className = "status status-" + s;
    }
  }
  fixStatus(d);
  //    From the opening day the notice of when applications open goes.
  var opens = d.querySelectorAll("[data-opens]");
  for (var o = 0; o < opens.length; o++) {
    if (kst >= opens[o].getAttribute("data-opens")) opens[o].hidden = true;
  }
  window.sbizStatus = { of: status, label: label };

  // 2. Main menu: open on wide screens, a toggle on narrow ones
  //    (without JavaScript it simply stays open).
  var menu = d.getElementById("menu");
  if (menu && window.matchMedia) {
    var narrow = matchMedia("(max-width: 47.99rem)");
    var sync = function () { menu.open = !narrow.matches; };
    sync();
    // The CSS hides the menu on narrow screens until now (no jump).
    d.documentElement.className += " menu-ready";
    if (narrow.addEventListener) narrow.addEventListener("change", sync);
    menu.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && narrow.matches && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  // 3. Lists: filters and pages load in place from the pre-built pages.
  var list = d.querySelector("[data-list]");
  if (!list || !window.fetch || !history.pushState || !window.DOMParser) return;
  function swap(sel, from) {
    var a = list.querySelector(sel), b = from.querySelector(sel);
    if (a && b) a.innerHTML = b.innerHTML;
  }
  function go(url, push, focusHref) {
    list.setAttribute("aria-busy", "true");
    fetch(url).then(function (r) {
      if (!r.ok) throw r.status;
      return r.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var next = doc.querySelector("[data-list]");
      if (!next) throw 0;
      swap("#list-title", next);
      swap(".filters", next);
      swap("#results", next);
      var c = list.querySelector("#result-count"), nc = next.querySelector("#result-count");
      if (c && nc) c.innerHTML = nc.innerHTML;
      var crumb = d.querySelector(".breadcrumb"), ncrumb = doc.querySelector(".breadcrumb");
      if (crumb && ncrumb) crumb.innerHTML = ncrumb.innerHTML;
      d.title = doc.title;
      if (push) history.pushState(null, "", url);
      fixStatus(list);
      list.removeAttribute("aria-busy");
      var target = focusHref && list.querySelector('.filters a[href="' + focusHref + '"]');
      if (!target) {
        target = list.querySelector("#list-title");
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }).catch(function () { location.href = url; });
  }
  list.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href]");
    if (!a || e.defaultPrevented || e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    var inFilters = a.closest(".filters");
    if (!inFilters && !a.closest(".pagination")) return;
    e.preventDefault();
    go(a.getAttribute("href"), true, inFilters ? a.getAttribute("href") : null);
  });
  window.addEventListener("popstate", function () { go(location.pathname, false, null); });
})();
