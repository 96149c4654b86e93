// The organizer's live view updates itself: the server says "change" on a server-sent event
// stream and the page fetches the new contents. Without EventSource, a plain reload every 15 s.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live) { return; }
  var busy = false, again = false;

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(live.dataset.fragment, { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) {
        if (answer.status === 401) { window.location.reload(); return null; }
        return answer.ok ? answer.text() : null;
      })
      .then(function (html) {
        if (html !== null) {
          live.innerHTML = html;
          live.dataset.updated = String(Date.now());
        }
      })
      .catch(function () { /* the stream's next change tries again */ })
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  if (!window.EventSource) {
    window.setInterval(function () { window.location.reload(); }, 15000);
    return;
  }
  var first = true;
  var source = new EventSource(live.dataset.stream);
  source.addEventListener("change", function () {
    if (first) { first = false; return; }  // the page was made just now
    refresh();
  });
  source.addEventListener("open", function () { live.dataset.stream_open = "yes"; });
})();
