/* Progress of a document made by the worker (a consolidated report; the PDF of a plan, decision or record): polls
   the box's status URL (JSON) and updates the bar. When done, a box with data-download-url downloads the file by
   itself; the others reload the page. No inline scripts (CSP). */
(function () {
  "use strict";
  if (!window.fetch) { return; }
  document.querySelectorAll("[data-status-url]").forEach(function (box) {
    var url = box.getAttribute("data-status-url");
    var download = box.getAttribute("data-download-url");
    var bar = box.querySelector("[data-role=progress]");
    var percent = box.querySelector("[data-role=percent]");
    var label = box.querySelector("[data-role=status-label]");
    var error = box.querySelector("[data-role=error]");
    var downloads = box.querySelector("[data-role=downloads]");
    var delay = 1000;
    var failures = 0;

    function show(data) {
      bar.value = data.progress;
      bar.textContent = data.progress + "%";
      percent.textContent = data.progress + "%";
      label.textContent = box.getAttribute("data-label-" + data.status) || data.status_label;
      box.setAttribute("data-status", data.status);
      if (data.status === "failed") {
        error.textContent = data.error;
        error.hidden = false;
      }
      if (data.status === "done") {
        downloads.hidden = false;
        if (download) {
          window.location.assign(download);
        } else {
          window.location.reload();
        }
      }
    }

    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok && response.status !== 202) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          show(data);
          if (data.status === "queued" || data.status === "running") {
            delay = Math.min(delay * 1.2, 5000);
            window.setTimeout(poll, delay);
          }
        })
        .catch(function () {
          failures += 1;
          label.textContent = box.getAttribute("data-label-lost");
          if (failures < 20) { window.setTimeout(poll, 5000); }
        });
    }

    var status = box.getAttribute("data-status");
    if (status === "queued" || status === "running") { window.setTimeout(poll, delay); }
  });
})();
