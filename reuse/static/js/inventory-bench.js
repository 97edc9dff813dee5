// Scan fields (bench mode, check-in): keep the focus in the bench's scan field, so a technician never needs the
// mouse; and a scanner set to end each scan with Tab instead of Enter applies it, as Enter does (a scan field
// is its form's last field, so the button is the next stop anyway). From an empty field, or with Shift, Tab
// moves on as usual.
(function () {
  document.querySelectorAll("input[data-scan]").forEach(function (field) {
    field.addEventListener("keydown", function (event) {
      if (event.key !== "Tab" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
      if (!field.value.trim()) return;
      event.preventDefault();
      field.form.requestSubmit();
    });
  });
  var input = document.getElementById("id_code");
  if (!input) return;
  input.focus();
  document.addEventListener("change", function (event) {
    if (event.target !== input && event.target.closest("#bench-form")) input.focus();
  });
})();
