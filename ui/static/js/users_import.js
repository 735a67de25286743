// Users import: load the chosen CSV file into the textarea the form posts.
(function () {
  "use strict";
  var file = document.getElementById("csv-file");
  var box = document.getElementById("csv");
  if (!file || !box) return;
  file.addEventListener("change", function () {
    if (!file.files || !file.files[0]) return;
    var reader = new FileReader();
    reader.onload = function () { box.value = String(reader.result || ""); };
    reader.readAsText(file.files[0]);
  });
})();
