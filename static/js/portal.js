/* The portal's own behaviour: a static file, because the Content-Security-Policy allows no inline
   script and no on*= attributes. Bootstrap's data-bs-* attributes do the rest (the «Фильтры»
   collapse of the lists, dropdowns, dismissible messages). */
(function () {
  "use strict";

  /* Groups of fields that fit only some values of another field of the form (a person's
     category: a class for a pupil, subjects for a teacher). The server renders every group as
     <div data-depends-on="category" data-show-for="student ...">; here the groups that do not fit
     the chosen value are hidden and their fields disabled, so they are not submitted either.
     Without JavaScript every group stays visible and the service still validates. Fields the
     server itself disabled stay disabled. */
  function applyGroups(form, name) {
    var control = form.elements[name];
    if (!control) return;
    var value = control.value;
    form.querySelectorAll('[data-depends-on="' + name + '"]').forEach(function (group) {
      var fits = !value || group.getAttribute("data-show-for").split(" ").indexOf(value) !== -1;
      group.hidden = !fits;
      group.querySelectorAll("input, select, textarea").forEach(function (field) {
        if (!fits && !field.disabled) {
          field.disabled = true;
          field.setAttribute("data-disabled-by-group", "");
        } else if (fits && field.hasAttribute("data-disabled-by-group")) {
          field.disabled = false;
          field.removeAttribute("data-disabled-by-group");
        }
      });
    });
  }

  document.querySelectorAll("form").forEach(function (form) {
    var names = [];
    form.querySelectorAll("[data-depends-on]").forEach(function (group) {
      var name = group.getAttribute("data-depends-on");
      if (names.indexOf(name) === -1) names.push(name);
    });
    names.forEach(function (name) {
      var control = form.elements[name];
      if (!control) return;
      applyGroups(form, name);
      control.addEventListener("change", function () { applyGroups(form, name); });
    });
  });

  /* The pair form: choosing the mentee or the form asks the server for the suggested mentors, as
     the «Подобрать наставников» button does without JavaScript (the page is rendered again,
     nothing is saved). */
  document.querySelectorAll("[data-refresh]").forEach(function (control) {
    control.addEventListener("change", function () {
      var form = control.form;
      var button = form && form.querySelector("[data-refresh-button]");
      if (!button) return;
      if (form.requestSubmit) form.requestSubmit(button);
      else button.click();
    });
  });

  /* The approval page: one box checks or unchecks every pair. */
  document.querySelectorAll("[data-check-all]").forEach(function (box) {
    var name = box.getAttribute("data-check-all");
    box.addEventListener("change", function () {
      box.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (other) {
        other.checked = box.checked;
      });
    });
  });
})();
