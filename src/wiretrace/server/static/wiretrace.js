// wiretrace: link the two sides of a comparison and filter tables. No dependencies.
// Pointing at an aligned passage (data-p) or a divergence (data-d) lights up its
// counterpart on the other side; a click scrolls the other side to it.
(function () {
  "use strict";

  function counterparts(el) {
    var key = el.hasAttribute("data-d") ? "data-d" : "data-p";
    var value = el.getAttribute(key);
    if (!/^[0-9]+$/.test(value || "")) { return []; }
    return document.querySelectorAll("[" + key + '="' + value + '"]');
  }

  function linked(target) {
    return target && target.closest ? target.closest("[data-d], [data-p]") : null;
  }

  function light(el, on) {
    counterparts(el).forEach(function (node) { node.classList.toggle("hot", on); });
  }

  document.addEventListener("mouseover", function (event) {
    var el = linked(event.target);
    if (el) { light(el, true); }
  });
  document.addEventListener("mouseout", function (event) {
    var el = linked(event.target);
    if (el) { light(el, false); }
  });
  document.addEventListener("click", function (event) {
    var el = linked(event.target);
    if (!el) { return; }
    var side = el.closest(".side");
    var nodes = Array.prototype.slice.call(counterparts(el));
    var other = nodes.filter(function (node) { return node.closest(".side") !== side; })[0];
    if (other) { other.scrollIntoView({ block: "center", behavior: "smooth" }); }
  });

  // Tables with a filter box: hide rows whose data-search text lacks the typed words.
  document.querySelectorAll("input.filter").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-table") || "");
    if (!table) { return; }
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var text = (row.getAttribute("data-search") || "").toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
  });
})();
