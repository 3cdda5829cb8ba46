/* A form marked data-autosubmit is sent as soon as one of its choices changes: the consolidated report's kind and
   period load their suggested wording at once, so that what the issuing form below carries is always what the
   choices above show. Without JavaScript the form's own button does the same. No inline script (CSP). */
(function () {
  "use strict";
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.matches("select, input")) { form.requestSubmit(); }
    });
  });
}());
