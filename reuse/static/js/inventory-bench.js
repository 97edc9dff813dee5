// Bench mode: keep the focus in the scan field, so a technician never needs the mouse.
(function () {
  var input = document.getElementById("id_code");
  if (!input) return;
  input.focus();
  document.addEventListener("change", function (event) {
    if (event.target !== input && event.target.closest("#bench-form")) input.focus();
  });
})();
