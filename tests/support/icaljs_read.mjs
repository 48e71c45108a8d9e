// Reads an iCalendar document from stdin with ical.js (the parser Thunderbird uses) and prints,
// as JSON, what a calendar app would take from each VEVENT: its identity, its alarms, and the
// occurrences ical.js itself expands within [FROM, TO) (RRULE, EXDATE, RECURRENCE-ID overrides).
//
//   node icaljs_read.mjs FROM TO < feed.ics      FROM and TO: UTC instants, 2027-01-01T00:00:00Z
//
// Exceptions are related to their series by UID (as Thunderbird's ICS reader groups them):
// ical.js's Event, left to itself, relates every RECURRENCE-ID of the calendar to each series.
// A TZID that names no VTIMEZONE of the document is an error here: ical.js would quietly read
// such a time as floating, so its instant would be wrong in every other zone.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [from, to] = process.argv.slice(2).map((text) => ICAL.Time.fromDateTimeString(text));
if (!from || !to) {
  throw new Error("usage: node icaljs_read.mjs FROM TO < feed.ics");
}

/** A DATE as YYYY-MM-DD, a DATE-TIME as the UTC instant (…Z). */
function instant(time) {
  if (time.isDate) {
    return time.toString();
  }
  return time.convertToZone(ICAL.Timezone.utcTimezone).toString();
}

function checkZones(component) {
  for (const property of component.getAllProperties()) {
    const tzid = property.getParameter("tzid");
    if (tzid && component.getTimeZoneByID(tzid) === null) {
      throw new Error(`${property.name} names TZID ${tzid}, which no VTIMEZONE defines`);
    }
  }
}

function text(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null ? null : String(value);
}

const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
if (calendar.name !== "vcalendar") {
  throw new Error(`the document is a ${calendar.name}, not a vcalendar`);
}
const vevents = calendar.getAllSubcomponents("vevent");
const exceptionsOf = new Map();
for (const vevent of vevents) {
  checkZones(vevent);
  if (vevent.hasProperty("recurrence-id")) {
    const uid = text(vevent, "uid");
    exceptionsOf.set(uid, [...(exceptionsOf.get(uid) ?? []), vevent]);
  }
}

const read = vevents.map((vevent) => {
  const uid = text(vevent, "uid");
  const overriding = vevent.hasProperty("recurrence-id");
  const event = new ICAL.Event(vevent, {
    strictExceptions: true,
    exceptions: overriding ? [] : (exceptionsOf.get(uid) ?? []),
  });
  const occurrences = [];
  if (!overriding) {
    const iterator = event.iterator();
    for (let next = iterator.next(); next && next.compare(to) < 0; next = iterator.next()) {
      if (next.compare(from) < 0) {
        continue;
      }
      const details = event.getOccurrenceDetails(next);
      occurrences.push({
        start: instant(details.startDate),
        end: instant(details.endDate),
        status: text(details.item.component, "status"),
      });
    }
  }
  return {
    uid,
    recurrence_id: overriding ? instant(event.recurrenceId) : null,
    summary: event.summary,
    status: text(vevent, "status"),
    sequence: event.sequence,
    start: instant(event.startDate),
    end: instant(event.endDate),
    occurrences,
    alarms: vevent
      .getAllSubcomponents("valarm")
      .map((alarm) => alarm.getFirstPropertyValue("trigger").toSeconds()),
  };
});
process.stdout.write(JSON.stringify(read));
