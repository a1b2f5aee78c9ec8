// Upcoming and past, by the reader's clock. The pages are built once and read for
// months, offline too, so the build never decides this: without this script an event's
// page still says when it is, and the calendar lists every event, latest first.
(function () {
  "use strict";
  var now = Date.now();

  function state(el) {
    var start = Date.parse(el.getAttribute("data-start"));
    var end = Date.parse(el.getAttribute("data-end"));
    if (isNaN(start) || isNaN(end)) return null;
    if (now < start) return "upcoming";
    return now < end ? "ongoing" : "past";
  }

  // An event's own page: one line saying whether it is still to come.
  var status = document.querySelector(".event-status[data-start]");
  if (status) {
    var s = state(status);
    if (s) {
      status.textContent = status.getAttribute("data-" + s);
      status.className += " event-" + s;
      status.hidden = false;
    }
  }

  // The calendar: what is still to come first, soonest first; then the rest, latest first.
  var list = document.querySelector(".event-list");
  if (!list) return;
  var items = Array.prototype.slice.call(list.querySelectorAll("li[data-start]"));
  var coming = items.filter(function (li) { var s = state(li); return s === "upcoming" || s === "ongoing"; });
  var past = items.filter(function (li) { return coming.indexOf(li) < 0; });
  if (coming.length === 0) return;
  coming.sort(function (a, b) { return Date.parse(a.getAttribute("data-start")) - Date.parse(b.getAttribute("data-start")); });

  function section(title, members, id) {
    var heading = document.createElement("h2");
    heading.textContent = title;
    heading.id = id;
    var ul = document.createElement("ul");
    ul.className = list.className;
    members.forEach(function (li) {
      li.querySelector(".card-title").outerHTML = li.querySelector(".card-title").outerHTML.replace(/^<h2/, "<h3").replace(/<\/h2>$/, "</h3>");
      ul.appendChild(li);
    });
    return [heading, ul];
  }
  var parent = list.parentNode;
  var parts = section(list.getAttribute("data-upcoming-heading"), coming, "upcoming")
    .concat(past.length ? section(list.getAttribute("data-past-heading"), past, "past") : []);
  parts.forEach(function (el) { parent.insertBefore(el, list); });
  parent.removeChild(list);
})();
