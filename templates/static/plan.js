// A plan's calendar dated for the reader's own race (or start) day, made here, with no network:
// the same events the site's plan.ics holds, each moved by the same number of days.
(function () {
  "use strict";
  var form = document.querySelector("form.plan-dates");
  var source = document.getElementById("plan-events");
  if (!form || !source) return;
  var data = JSON.parse(source.textContent);
  var status = form.querySelector(".plan-status");

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function ymd(date) {
    return "" + date.getUTCFullYear() + pad(date.getUTCMonth() + 1) + pad(date.getUTCDate());
  }
  function addDays(date, days) { return new Date(date.getTime() + days * 86400000); }
  // RFC 5545 text: backslash, semicolon, comma and newline escaped.
  function escape(text) {
    return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
  }
  // Lines longer than 75 octets are folded; a fold never splits a UTF-8 character.
  function fold(line) {
    var out = [], current = "", size = 0, limit = 75;
    for (var i = 0; i < line.length; i++) {
      var ch = line[i], code = line.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < line.length) { ch += line[++i]; }
      var bytes = new TextEncoder().encode(ch).length;
      if (size + bytes > limit) { out.push(current); current = " "; size = 1; limit = 75; }
      current += ch; size += bytes;
    }
    out.push(current);
    return out.join("\r\n");
  }

  function calendar(first) {
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + data.product, "CALSCALE:GREGORIAN",
                 "X-WR-CALNAME:" + escape(data.title)];
    data.events.forEach(function (event) {
      var day = addDays(first, event.day);
      lines.push("BEGIN:VEVENT", "SUMMARY:" + escape(event.summary), "DTSTART;VALUE=DATE:" + ymd(day),
                 "DTEND;VALUE=DATE:" + ymd(addDays(day, 1)), "DTSTAMP:" + data.stamp, "UID:" + event.uid,
                 "DESCRIPTION:" + escape(event.description), "TRANSP:TRANSPARENT");
      if (event.url) lines.push("URL:" + event.url);
      lines.push("END:VEVENT");
    });
    lines.push("END:VCALENDAR");
    return lines.map(fold).join("\r\n") + "\r\n";
  }

  form.addEventListener("submit", function (submitted) {
    submitted.preventDefault();
    var value = form.elements.date.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      status.textContent = "Choose a date first.";
      return;
    }
    var parts = value.split("-").map(Number);
    var chosen = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
    var race = form.elements.anchor.value === "race";
    // The plan's first Monday, placed so that its last day (race day) or its first day is the date chosen.
    var first = race ? addDays(chosen, -data.last) : chosen;
    var blob = new Blob([calendar(first)], {type: "text/calendar;charset=utf-8"});
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = form.dataset.planSlug + "-" + value + ".ics";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    status.textContent = "Calendar ready: " + data.events.length + " sessions, " +
      (race ? "ending on race day, " : "starting on ") + value + ".";
  });
})();
