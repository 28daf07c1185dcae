// Sprintback: the athlete page's "today". The build has no clock, so only the browser knows
// today's date: this marks the current week and phase, puts the next session (with its main
// set) and the next check-in at the top, and opens the session a calendar link points at.
// Without this script the page still shows the whole plan, week by week.
(function () {
  "use strict";
  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }
  var now = new Date();
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());

  // A calendar event's link names a session or check-in: show it unfolded.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) {
      return;
    }
    var details = target.tagName === "DETAILS" ? target : target.querySelector("details");
    for (var node = target; node && !details; node = node.parentElement) {
      if (node.tagName === "DETAILS") {
        details = node;
      }
    }
    if (details) {
      details.open = true;
    }
  }
  openTarget();
  window.addEventListener("hashchange", openTarget);
  // Printing shows every session unfolded.
  window.addEventListener("beforeprint", function () {
    var all = document.querySelectorAll("details");
    for (var i = 0; i < all.length; i++) {
      all[i].open = true;
    }
  });

  function within(element) {
    return element.getAttribute("data-start") <= today && today <= element.getAttribute("data-end");
  }
  function mark(list) {
    for (var i = 0; i < list.length; i++) {
      if (within(list[i])) {
        list[i].classList.add("current");
        list[i].setAttribute("aria-current", "date");
        return list[i];
      }
    }
    return null;
  }
  mark(document.querySelectorAll(".progress li[data-start]"));
  var week = mark(document.querySelectorAll("article.week[data-start]"));
  var panel = document.querySelector(".today-panel");
  if (!panel) {
    return;
  }
  var title = week && week.querySelector(".week-title");
  if (title) {
    var badge = document.createElement("span");
    badge.className = "badge now";
    badge.textContent = panel.getAttribute("data-this-week");
    title.appendChild(document.createTextNode(" "));
    title.appendChild(badge);
  }
  function first(selector) {
    var items = document.querySelectorAll(selector);
    for (var i = 0; i < items.length; i++) {
      if (items[i].getAttribute("data-date") >= today) {
        return items[i];
      }
    }
    return null;
  }
  function heading(text) {
    var element = document.createElement("h3");
    element.textContent = text;
    panel.appendChild(element);
  }
  function link(item) {
    var anchor = document.createElement("a");
    anchor.href = "#" + item.id;
    var title = item.querySelector("summary, strong");
    anchor.textContent = title ? title.textContent.replace(/\s+/g, " ").trim() : item.id;
    return anchor;
  }
  var next = first("li.session[data-date]");
  var checkIn = first("li.check-in[data-date]");
  var weeks = document.querySelectorAll("article.week[data-start]");
  // A plan paused by the clinician has no next session: say so, as the log's standing does.
  var paused = document.querySelector(".standing .paused");
  if (paused) {
    var notice = paused.cloneNode(true);
    notice.removeAttribute("role");
    panel.appendChild(notice);
  }
  if (!next && !checkIn) {
    if (!paused) {
      var done = document.createElement("p");
      done.textContent = panel.getAttribute("data-done");
      panel.appendChild(done);
    }
  } else {
    if (weeks.length && today < weeks[0].getAttribute("data-start")) {
      var later = document.createElement("p");
      var start = new Date(weeks[0].getAttribute("data-start") + "T12:00:00");
      later.textContent = panel.getAttribute("data-not-started") + " " + start.toDateString() + ".";
      panel.appendChild(later);
    }
    if (next) {
      heading(panel.getAttribute("data-next"));
      var when = document.createElement("p");
      when.appendChild(link(next));
      panel.appendChild(when);
      // The session's own work, as the plan below shows it (ids left out: they stay unique).
      var details = next.querySelector("details");
      var parts = details ? details.children : [];
      for (var c = 0; c < parts.length; c++) {
        if (parts[c].tagName === "SUMMARY") {
          continue;
        }
        var copy = parts[c].cloneNode(true);
        if (copy.tagName === "H5") {
          // A block's name sits one level under the panel's h3 here (an h5 under the week's h4 below).
          var level = document.createElement("h4");
          level.className = copy.className;
          level.innerHTML = copy.innerHTML;
          copy = level;
        }
        var named = copy.querySelectorAll("[id]");
        for (var n = 0; n < named.length; n++) {
          named[n].removeAttribute("id");
        }
        panel.appendChild(copy);
      }
    }
    if (checkIn) {
      heading(panel.getAttribute("data-check-in"));
      var due = document.createElement("p");
      due.appendChild(link(checkIn));
      panel.appendChild(due);
    }
    if (week) {
      heading(panel.getAttribute("data-week"));
      var list = document.createElement("ul");
      var days = week.querySelectorAll("li.session, li.check-in");
      for (var d = 0; d < days.length; d++) {
        var entry = document.createElement("li");
        entry.appendChild(link(days[d]));
        list.appendChild(entry);
      }
      panel.appendChild(list);
    }
  }
  panel.hidden = false;
  var fallback = document.querySelector(".today-fallback");
  if (fallback) {
    fallback.hidden = true;
  }
})();
