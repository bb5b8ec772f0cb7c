// newsdex serve: small conveniences. Every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("form.search input[name=q]");
  var mode = document.querySelector("form.search select[name=mode]");
  // "/" jumps to the query box, as on many search sites
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && box && document.activeElement !== box &&
        !(document.activeElement instanceof HTMLInputElement)) {
      e.preventDefault();
      box.focus();
      box.select();
    }
  });
  // changing the kind of search re-runs the query that is in the box
  if (mode && box) {
    mode.addEventListener("change", function () {
      if (box.value.trim() !== "") { mode.form.submit(); }
    });
  }
  // the first visit to the start page puts the cursor in the box
  if (box && box.value === "" && location.pathname === "/") { box.focus(); }
  // an article opened at a passage shows that passage mid-screen
  if (location.hash.indexOf("#p") === 0) {
    var target = document.getElementById(location.hash.slice(1));
    if (target) { target.scrollIntoView({ block: "center" }); }
  }
});
