/* Confirmation before a step that cannot be undone (submit a report, sign a record, issue a report, approve a
   plan, accept or reject a response). A submit button with data-confirm="ID" opens <dialog id="ID"> (inside the
   same form) instead of sending; the dialog's [data-confirmed] button is a submit button of that form and sends it
   with the trigger's name, value and formaction (a form whose buttons post to different actions, issue 20).
   Without JavaScript, or without <dialog>, the trigger sends the form as is.
   No inline script: the page's CSP forbids it. */
(function () {
  "use strict";
  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("button[data-confirm]")) { return; }
    form.addEventListener("submit", function (event) {
      var trigger = event.submitter;
      if (!trigger || !trigger.hasAttribute("data-confirm")) { return; }
      var dialog = document.getElementById(trigger.getAttribute("data-confirm"));
      if (!dialog || typeof dialog.showModal !== "function" || !form.contains(dialog)) { return; }
      event.preventDefault();
      var confirmed = dialog.querySelector("[data-confirmed]");
      if (trigger.name) {
        confirmed.name = trigger.name;
        confirmed.value = trigger.value;
      }
      if (trigger.hasAttribute("formaction")) {
        confirmed.setAttribute("formaction", trigger.getAttribute("formaction"));
      } else {
        confirmed.removeAttribute("formaction");
      }
      dialog.showModal();
      confirmed.focus();
    });
  });
  document.querySelectorAll("dialog [data-dialog-cancel]").forEach(function (button) {
    button.addEventListener("click", function () { button.closest("dialog").close(); });
  });
})();
