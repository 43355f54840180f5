// triangulate: citation cards on hover, focus or tap; highlight layers on the article page.
// Nothing here builds HTML from strings: cards are clones of the (escaped) citation list items.
"use strict";
(function () {
  var pop = null;
  var owner = null;
  var hideTimer = null;
  var shownAt = 0;

  function card(link) {
    var item = document.getElementById("c" + link.getAttribute("data-cite"));
    return item ? item.querySelector(".card") : null;
  }

  function show(link) {
    var source = card(link);
    if (!source) return;
    clearTimeout(hideTimer);
    if (!pop) {
      pop = document.createElement("div");
      pop.id = "cite-pop";
      pop.setAttribute("role", "tooltip");
      pop.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      pop.addEventListener("mouseleave", hideSoon);
      document.body.appendChild(pop);
    }
    pop.replaceChildren(source.cloneNode(true));
    if (owner !== link || pop.hidden) shownAt = Date.now();
    pop.hidden = false;
    owner = link;
    var box = link.getBoundingClientRect();
    var width = Math.min(420, document.documentElement.clientWidth - 16);
    pop.style.width = width + "px";
    var left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    pop.style.left = left + "px";
    pop.style.top = (box.bottom + window.scrollY + 6) + "px";
  }

  function hide() { if (pop) pop.hidden = true; owner = null; }
  function hideSoon() { clearTimeout(hideTimer); hideTimer = setTimeout(hide, 250); }

  document.addEventListener("mouseover", function (e) {
    var link = e.target.closest && e.target.closest("a.cite");
    if (link) show(link);
  });
  document.addEventListener("mouseout", function (e) {
    var link = e.target.closest && e.target.closest("a.cite");
    if (link) hideSoon();
  });
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("a.cite")) show(e.target);
  });
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a.cite");
    if (link) {
      e.preventDefault();  // a tap shows the card; the card links to the article
      // a tap sends mouseover and focus just before the click: only a later click on the same link closes it
      if (owner === link && pop && !pop.hidden && Date.now() - shownAt > 600) hide(); else show(link);
    } else if (pop && !pop.contains(e.target)) {
      hide();
    }
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });

  var layers = document.getElementById("layers");
  var text = document.getElementById("text");
  if (layers && text) {
    layers.addEventListener("change", function (e) {
      var layer = e.target.getAttribute("data-layer");
      if (layer) text.classList.toggle("show-" + layer, e.target.checked);
    });
  }
})();
