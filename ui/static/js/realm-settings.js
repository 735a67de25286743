// Realm settings: show one tab at a time, chosen by the URL hash (§5.2).
(function () {
  "use strict";
  var root = document.getElementById("realm-settings");
  if (!root) { return; }
  var links = root.querySelectorAll("[data-tab]");
  var panes = root.querySelectorAll("[data-pane]");

  function show(name) {
    var found = false;
    panes.forEach(function (pane) {
      var on = pane.getAttribute("data-pane") === name;
      found = found || on;
      pane.classList.toggle("active", on);
      pane.classList.toggle("show", on);
      // Works with or without Bootstrap's tab CSS.
      pane.hidden = !on;
    });
    if (!found) { return false; }
    links.forEach(function (link) {
      link.classList.toggle("active", link.getAttribute("data-tab") === name);
    });
    return true;
  }

  // After a failed save the server marks the tab that holds the errors.
  var initial = root.getAttribute("data-active-tab");
  var fromHash = window.location.hash.replace("#", "");
  if (!(document.getElementById("error-summary") && show(initial))) {
    show(fromHash) || show(initial);
  }
  links.forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var name = link.getAttribute("data-tab");
      show(name);
      history.replaceState(null, "", "#" + name);
    });
  });
  window.addEventListener("hashchange", function () {
    show(window.location.hash.replace("#", ""));
  });
}());
