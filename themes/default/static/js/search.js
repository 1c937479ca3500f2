// Korean search over /search/index.json, loaded only when someone searches;
// results update as one types. Without JavaScript the form goes to the
// booking function (GET /api/search), which answers from the same index
// with the same matching (sbiz_presentation::search) and keeps the query.
// Matching is by substring on normalised text, so a part of a compound noun
// finds the whole ("재단기" → 자동재단기, "봉제" → 의류봉제); a Latin or digit
// run and a Hangul run next to it are separate words ("3D프린터" and
// "3D 프린터" find the same); particles (조사) are stripped from query words
// ("센터에서" → 센터); title matches rank first.
(function () {
  var d = document;
  var form = d.getElementById("search-form");
  var out = d.getElementById("search-results");
  var msg = d.getElementById("search-status");
  if (!form || !out || !window.fetch) return;
  var q = form.elements.q, kind = form.elements.kind,
    industry = form.elements.industry, district = form.elements.district;
  var index = null, loading = null;
  // The English edition (<html lang="en">) searches its own index, of the
  // English pages only, and speaks the texts its search page gives.
  var en = d.documentElement.lang === "en";
  var texts = d.getElementById("search-texts");
  function say(name, korean) {
    var v = texts && texts.getAttribute("data-" + name);
    return v === null || v === undefined ? korean : v;
  }

  // Longest first; a particle is only stripped when two letters remain.
  var JOSA = ["에서부터", "으로부터", "에서는", "에서도", "에게서", "으로는", "이라도",
    "까지", "부터", "에서", "에게", "한테", "으로", "처럼", "보다", "이나", "이랑",
    "하고", "께서", "마다", "은", "는", "이", "가", "을", "를", "의", "에", "로", "와",
    "과", "도", "만", "나", "랑"];
  function strip(w) {
    for (var i = 0; i < JOSA.length; i++) {
      var j = JOSA[i];
      if (w.length - j.length >= 2 && w.slice(-j.length) === j) return w.slice(0, -j.length);
    }
    return w;
  }
  // A run of ASCII letters and digits and a run of Hangul next to it are
  // words of their own ("3D프린터" → "3d 프린터"), as in the index
  // (sbiz_presentation::search::normalize).
  var SPLIT = /([a-z0-9])(?=[가-힣])|([가-힣])(?=[a-z0-9])/g;
  function glued(s) {
    return s.toLowerCase().replace(/[·・‧\/\-_'’]/g, "")
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  // The query's words; a particle glued to ASCII ("CNC를") is none.
  function queryWords(s) {
    var out = [];
    glued(s).split(" ").filter(Boolean).forEach(function (token) {
      token.replace(SPLIT, "$1$2 ").split(" ").forEach(function (w, i) {
        if (!(i && JOSA.indexOf(w) >= 0)) out.push(w);
      });
    });
    return out;
  }
  function load() {
    if (!loading) {
      loading = fetch((en ? "/en" : "") + "/search/index.json").then(function (r) {
        if (!r.ok) throw r.status;
        return r.json();
      }).then(function (j) { index = j; return j; });
    }
    return loading;
  }
  function has(field, w) { return (" " + field).indexOf(w) >= 0; }
  function score(doc, words) {
    var total = 0, inTitle = 0;
    for (var i = 0; i < words.length; i++) {
      var best = 0, vs = words[i];
      for (var v = 0; v < vs.length; v++) {
        var w = vs[v], f = v ? 0.9 : 1, s = 0;
        if (has(doc.nt, w)) s = 100 + (has(doc.nt, " " + w) ? 20 : 0) + (doc.nt === w ? 30 : 0);
        else if (has(doc.nk, w)) s = 20;
        else if (has(doc.nb, w)) s = 5;
        if (s * f > best) best = s * f;
      }
      if (!best) return null;
      if (best >= 90) inTitle++;
      total += best;
    }
    return [inTitle, total];
  }
  function el(tag, cls, text) {
    var e = d.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function names(pairs) {
    var m = {};
    for (var i = 0; i < pairs.length; i++) m[pairs[i][0]] = pairs[i][1];
    return m;
  }
  function render(ix) {
    var text = q.value.trim(), k = kind.value, ind = industry ? industry.value : "",
      dis = district ? district.value : "";
    out.textContent = "";
    if (!text && !k && !ind && !dis) { msg.textContent = ""; return; }
    out.appendChild(el("h2", "visually-hidden", say("heading", "검색 결과")));
    var words = queryWords(text).map(function (w) {
      var s = strip(w);
      return s === w ? [w] : [w, s];
    });
    var hits = [];
    ix.docs.forEach(function (doc, n) {
      if (k && doc.k !== k) return;
      if (ind && doc.i.indexOf(ind) < 0) return;
      if (dis && doc.d.indexOf(dis) < 0) return;
      var s = score(doc, words);
      if (s) hits.push({ doc: doc, t: s[0], s: s[1], n: n });
    });
    hits.sort(function (a, b) { return b.t - a.t || b.s - a.s || a.n - b.n; });
    var kinds = names(ix.kinds);
    var what = [text && "‘" + text + "’"];
    if (k) what.push(kinds[k]);
    if (ind) what.push(names(ix.industries)[ind]);
    if (dis) what.push(names(ix.districts)[dis]);
    msg.textContent = say("results", "{what} 검색 결과 {n}건")
      .replace("{what}", what.filter(Boolean).join(" · "))
      .replace("{n}", hits.length);
    if (!hits.length) {
      out.appendChild(el("p", "empty", say("empty", "찾는 내용이 없습니다. 낱말을 줄이거나(예: ‘자동재단기’ 대신 ‘재단’) 조건을 바꿔 보세요.")));
      return;
    }
    var ul = el("ul", "cards");
    hits.slice(0, 100).forEach(function (h) {
      var doc = h.doc, li = el("li", "card"), p = el("p", "card-kind", kinds[doc.k]);
      if (doc.st) {
        var st = window.sbizStatus ? window.sbizStatus.of(doc.st[2], doc.st[3]) : doc.st[0];
        var lab = window.sbizStatus ? window.sbizStatus.label(st, doc.st[4]) : doc.st[1];
        p.appendChild(d.createTextNode(" "));
        p.appendChild(el("span", "status status-" + st, lab));
      }
      var h3 = el("h3", ""), a = el("a", "", doc.t);
      a.href = doc.u;
      h3.appendChild(a);
      li.appendChild(p);
      li.appendChild(h3);
      if (doc.s) li.appendChild(el("p", "", doc.s));
      ul.appendChild(li);
    });
    out.appendChild(ul);
  }
  function run(push) {
    if (push && history.replaceState) {
      var u = new URLSearchParams();
      ["q", "kind", "industry", "district"].forEach(function (n) {
        var f = form.elements[n];
        if (f && f.value) u.set(n, f.value.trim());
      });
      history.replaceState(null, "", location.pathname + "?" + u.toString());
    }
    if (!index) msg.textContent = say("searching", "찾는 중…");
    load().then(render, function () {
      failed = true;
      msg.textContent = say("failed", "검색 색인을 불러오지 못했습니다. 검색 버튼을 누르면 서버에서 찾습니다.");
    });
  }
  // An old link to the static page with a query: the function's page shows
  // the results at once, without a shift after the first paint.
  if (location.pathname === "/search/" && location.search.length > 1) {
    location.replace("/api/search" + location.search);
    return;
  }
  // The English search page with a query (from the header's search box):
  // the query goes into the form and the results show at once.
  // (The function's page, /api/search, already shows its results.)
  if (en && location.pathname !== "/api/search" && location.search.length > 1 && window.URLSearchParams) {
    var given = new URLSearchParams(location.search);
    ["q", "kind", "industry", "district"].forEach(function (n) {
      var f = form.elements[n];
      if (f && given.get(n)) f.value = given.get(n);
    });
    run(false);
  }
  // Once the index could not be loaded, the form goes to the server.
  var failed = false;
  form.addEventListener("submit", function (e) {
    if (failed) return;
    e.preventDefault();
    run(true);
  });
  form.addEventListener("change", function (e) {
    if (e.target.tagName === "SELECT") run(true);
  });
  var timer = null;
  q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(true); }, 150);
  });
})();
