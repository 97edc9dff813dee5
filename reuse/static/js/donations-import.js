// Donations: updates the manifest import's progress bar without reloading; the page works without it.
(function () {
  "use strict";
  var box = document.getElementById("import-job");
  if (!box) { return; }
  var bar = document.getElementById("import-progress");
  var status = document.getElementById("import-status");
  var url = box.getAttribute("data-job-url");
  var lastText = "";

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
          say(job.state === "done" ? "Import terminé." : "Import refusé : rien n’a été importé.");
          window.location.reload();
          return;
        }
        say(job.state === "pending" ? "En attente de traitement…" : "Import en cours : " + job.progress + " %");
        window.setTimeout(poll, 700);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 300);
}());
