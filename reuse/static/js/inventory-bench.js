// Bench mode: keep the focus in the scan field, so a technician never needs the mouse.
(function () {
  var input = document.getElementById("id_code");
  if (!input) return;
  input.focus();
  document.addEventListener("change", function (event) {
    if (event.target !== input && event.target.closest("#bench-form")) input.focus();
  });
  // A scanner set to end each scan with Tab instead of Enter: Tab after a code applies it, as Enter does (the
  // button is the next stop anyway). From an empty field, and with Shift, Tab moves on as usual.
  input.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    if (!input.value.trim()) return;
    event.preventDefault();
    input.form.requestSubmit();
  });
})();
