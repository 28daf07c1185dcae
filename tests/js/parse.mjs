// Reads iCalendar files with Mozilla's ical.js and prints each event's UID, start and end as JSON:
// {"path": [[uid, start, end], ...]}, a start or end being {"date": "YYYY-MM-DD"} or {"utc": seconds}.
// Usage: node tests/js/parse.mjs FEED.ics...  (no network: the feed's own VTIMEZONEs are the only zones)
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function moment(time, tzid) {
  if (time.isDate) {
    return { date: time.toString() };
  }
  if (tzid && (!time.zone || time.zone.tzid !== tzid)) {
    throw new Error(`TZID ${tzid} has no VTIMEZONE in the feed`);
  }
  return { utc: time.toUnixTime() };
}

function when(event, name) {
  const property = event.getFirstProperty(name);
  if (property) {
    return moment(property.getFirstValue(), property.getParameter("tzid"));
  }
  // RFC 5545 3.6.1: no DTEND, the end is DTSTART + DURATION, or the next day for a date.
  const start = event.getFirstProperty("dtstart");
  const end = start.getFirstValue().clone();
  const duration = event.getFirstPropertyValue("duration");
  end.addDuration(duration ?? ICAL.Duration.fromData({ days: end.isDate ? 1 : 0 }));
  return moment(end, start.getParameter("tzid"));
}

const feeds = {};
for (const path of process.argv.slice(2)) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  }
  feeds[path] = calendar
    .getAllSubcomponents("vevent")
    .map((event) => [event.getFirstPropertyValue("uid"), when(event, "dtstart"), when(event, "dtend")]);
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.remove(zone.getFirstPropertyValue("tzid"));
  }
}
process.stdout.write(JSON.stringify(feeds));
