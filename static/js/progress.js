// Keeps the progress bar and its live region (templates/includes/progress.html) up to date
// by asking the page's status URL every few seconds; stops when the work is finished. Screen
// readers hear the new sentence; nothing else on the page moves.
(function () {
  "use strict";
  var box = document.querySelector(".tif-progress[data-status-url]");
  if (!box || !window.fetch) return;
  var bar = box.querySelector(".tif-progress-bar");
  var status = box.querySelector(".tif-progress-status");
  var seconds = parseInt(box.getAttribute("data-poll-seconds"), 10) || 3;

  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + " %";
    if (status.textContent.trim() !== state.text) status.textContent = state.text;
    // Finished: the results (a file to download, each recipient's state) come with the link.
    if (state.finished) return;
    window.setTimeout(poll, seconds * 1000);
  }

  function poll() {
    fetch(box.getAttribute("data-status-url"), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(show)
      .catch(function () { window.setTimeout(poll, seconds * 3000); });
  }

  window.setTimeout(poll, seconds * 1000);
})();
