// Loaded after each field with a limit (reuse/uploads.py): tells the size limit of a file field as soon as a file is chosen, before a slow phone spends minutes
// sending one the server would refuse. The field carries its limit and its message (data-max-bytes,
// data-too-large: reuse/uploads.py, in the page's language); the server checks again, and works without this.
(function () {
  "use strict";
  // A page with two such fields loads this twice: each field is watched once.
  var inputs = document.querySelectorAll("input[type=file][data-max-bytes]:not([data-limit-watched])");

  function tooLarge(input) {
    var max = Number(input.getAttribute("data-max-bytes"));
    return Array.prototype.some.call(input.files || [], function (file) { return file.size > max; });
  }

  function describedBy(input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (one) {
      return one && one !== id;
    });
    if (on) { ids.push(id); }
    if (ids.length) { input.setAttribute("aria-describedby", ids.join(" ")); }
    else { input.removeAttribute("aria-describedby"); }
  }

  // Shows or removes the field's message; true when the chosen file may be sent.
  function check(input) {
    var id = (input.id || input.name) + "_too_large";
    var note = document.getElementById(id);
    if (!tooLarge(input)) {
      if (note) {
        note.parentNode.removeChild(note);
        describedBy(input, id, false);
        input.removeAttribute("aria-invalid");
      }
      return true;
    }
    if (!note) {
      note = document.createElement("p");
      note.id = id;
      note.className = "error";
      note.setAttribute("role", "alert");
      input.parentNode.insertBefore(note, input);
    }
    note.textContent = input.getAttribute("data-too-large");
    describedBy(input, id, true);
    input.setAttribute("aria-invalid", "true");
    return false;
  }

  Array.prototype.forEach.call(inputs, function (input) {
    input.setAttribute("data-limit-watched", "");
    input.addEventListener("change", function () { check(input); });
    if (input.form) {
      input.form.addEventListener("submit", function (event) {
        if (!check(input)) {
          event.preventDefault();
          input.focus();
        }
      });
    }
  });
})();
