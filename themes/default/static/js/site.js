// Corrects 예정 / 모집중 / 마감 labels from the visitor's clock (Korea time):
// the pages were built at one moment and may be served for days.
(function () {
  var kst = new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
  var labels = { upcoming: "예정", open: "모집중", closed: "마감" };
  var els = document.querySelectorAll(".status[data-from][data-until]");
  for (var i = 0; i < els.length; i++) {
    var el = els[i];
    var s = kst < el.getAttribute("data-from") ? "upcoming" : kst <= el.getAttribute("data-until") ? "open" : "closed";
    el.textContent = labels[s];
    el.className = "status status-" + s;
  }
})();
