// Donations: updates the manifest import's progress bar without reloading; the page works without it.
(function () {
  "use strict";
  var box = document.getElementById("import-job");
  if (!box) { return; }
  var bar = document.getElementById("import-progress");
  var status = document.getElementById("import-status");
  var url = box.getAttribute("data-job-url");
  var lastText = "";
  // The words come from the page (data-say-*), translated with it: the script has none of its own.
  var words = box.dataset;

  function say(text) {
    if (text !== lastText) { status.textContent = text; lastText = text; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (job) {
        bar.value = job.progress;
        bar.textContent = job.progress + " %";
        box.setAttribute("data-state", job.state);
        if (job.state === "done" || job.state === "failed") {
          say(job.state === "done" ? words.sayDone : words.sayFailed);
          window.location.reload();
          return;
        }
        say(job.state === "pending" ? words.sayPending : words.sayRunning.replace("{progress}", job.progress));
        window.setTimeout(poll, 700);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 300);
}());
