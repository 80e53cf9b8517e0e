// "Select all" for the bulk moderation of one browse page. Plain JS, no build step.
"use strict";
(function () {
  var all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", function () {
    document.querySelectorAll("input.pick:not(:disabled)").forEach(function (box) { box.checked = all.checked; });
  });
})();
