/**
 * The boundaries of the contract's two formats, each side, with the RFC's verdict, oracles
 * written from the RFCs the slow, obvious way, and generators of strings near the
 * boundaries: the format tests hold formats.ts to the oracles, and the format-fields tests
 * hold the validator to them in every field of every shape.
 */
import fc from "fast-check";
import { UUID_V4_PATTERN } from "../../src/contract/json-schema.js";

/**
 * RFC 3339 section 5.6 as an oracle: the ABNF as a regex (ASCII digits; "T" and "Z" in
 * either case), the ranges, the calendar by Date, and section 5.7's leap second: 23:59:60
 * UTC, on the last day of a month.
 */
const RFC_3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
export function rfc3339(text: string): boolean {
  const match = RFC_3339.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offsetHour = Number(match[8] ?? 0);
  const offsetMinute = Number(match[9] ?? 0);
  if (hour > 23 || minute > 59 || second > 60 || offsetHour > 23 || offsetMinute > 59) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (month < 1 || month > 12 || date.getUTCDate() !== day) return false;
  if (second < 60) return true;
  const offset = (match[7] === "-" ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  date.setUTCHours(hour, minute - offset);
  const nextMinute = new Date(date.getTime() + 60_000);
  return date.getUTCHours() === 23 && date.getUTCMinutes() === 59 && nextMinute.getUTCDate() === 1;
}

/** RFC 4122 section 3 as an oracle: 8-4-4-4-12 hex digits, case-insensitive on input. */
export function rfc4122(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

/** The contract's v4 pattern, as ajv compiles it (with the unicode flag). */
export const V4 = new RegExp(UUID_V4_PATTERN, "u");

/** [text, RFC 3339 section 5.6 verdict, why]; "ajv:" marks where ajv-formats 3 says otherwise. */
export const DATE_TIME_BOUNDARIES: [string, boolean, string][] = [
  ["2026-11-27T10:00:00Z", true, "the plainest"],
  ["2026-11-27t10:00:00z", true, "lower-case t and z (the NOTE of 5.6)"],
  ["2026-11-27T10:00:00z", true, "lower-case z"],
  ["2026-11-27t10:00:00Z", true, "lower-case t"],
  ["2026-11-27 10:00:00Z", false, "a space for T (ajv: accepted)"],
  ["2026-11-27\t10:00:00Z", false, "a tab for T (ajv: accepted)"],
  ["2026-11-27\u00a010:00:00Z", false, "a no-break space for T (ajv: accepted)"],
  ["2026-11-27x10:00:00Z", false, "another letter for T"],
  ["2026-11-2710:00:00Z", false, "no separator"],
  ["2026-11-27T10:00:00", false, "no offset"],
  ["2026-11-27T10:00:00.123", false, "no offset after a fraction"],
  ["2026-11-27", false, "a date alone"],
  ["10:00:00Z", false, "a time alone"],
  ["2026-11-27T10:00:00+00:00", true, "offset +00:00"],
  ["2026-11-27T10:00:00-00:00", true, "offset -00:00 (4.3: unknown local offset)"],
  ["2026-11-27T10:00:00+23:59", true, "the largest offset"],
  ["2026-11-27T10:00:00-23:59", true, "the largest negative offset"],
  ["2026-11-27T10:00:00+24:00", false, "offset hour 24"],
  ["2026-11-27T10:00:00+10:60", false, "offset minute 60"],
  ["2026-11-27T10:00:00+0100", false, "offset without the colon (ajv: accepted)"],
  ["2026-11-27T10:00:00+01", false, "offset without minutes (ajv: accepted)"],
  ["2026-11-27T10:00:00+1:00", false, "offset hour of one digit"],
  ["2026-11-27T10:00:00+01:00Z", false, "Z after an offset"],
  ["2026-11-27T10:00:00Z ", false, "a trailing space"],
  [" 2026-11-27T10:00:00Z", false, "a leading space"],
  ["2026-11-27T10:00:00ZZ", false, "two Zs"],
  ["2026-11-27T10:00:00.5Z", true, "a fraction of one digit"],
  ["2026-11-27T10:00:00.123456789012345678901234567890Z", true, "a fraction of 30 digits"],
  [
    "1985-04-12T00:59:59.999999999999999Z",
    true,
    "fifteen nines (ajv: refused, as +'59.999999999999999' is 60)",
  ],
  ["2026-11-27T10:00:00.Z", false, "a point with no digit"],
  ["2026-11-27T10:00:00,5Z", false, "a comma for the point"],
  ["2026-11-27T10:00:00.5.5Z", false, "two fractions"],
  ["2026-11-27T10:00Z", false, "no seconds"],
  ["2026-11-27T23:59:59Z", true, "the last second of a day"],
  ["2026-11-27T00:00:00Z", true, "the first second of a day"],
  ["2026-11-27T24:00:00Z", false, "hour 24"],
  ["2026-11-27T24:59:59+01:00", false, "hour 24, 23:59 UTC (ajv: accepted)"],
  ["2026-11-27T46:59:00+23:00", false, "hour 46, 23:59 UTC (ajv: accepted)"],
  ["2026-11-27T10:60:00Z", false, "minute 60"],
  ["2016-12-31T23:60:00+00:01", false, "minute 60, 23:59 UTC (ajv: accepted)"],
  ["2026-11-27T10:00:61Z", false, "second 61"],
  ["2016-12-31T23:59:60Z", true, "a leap second: 23:59:60 UTC on the last day of a month"],
  ["2016-06-30T23:59:60Z", true, "a leap second at the end of June"],
  ["2016-12-31T23:59:60.5Z", true, "a leap second with a fraction"],
  ["2016-12-31T23:59:61Z", false, "second 61 where a leap second may be"],
  ["1998-12-31T15:59:60.123-08:00", true, "a leap second in a negative offset"],
  ["1999-01-01T00:59:60+01:00", true, "a leap second the day before, in local time"],
  ["1999-01-01T05:29:60+05:30", true, "a leap second in a half-hour offset"],
  ["2016-12-31T22:59:60Z", false, "second 60 at 22:59 UTC"],
  ["2016-12-31T23:58:60Z", false, "second 60 at 23:58 UTC"],
  ["2016-12-31T23:59:60+01:00", false, "second 60 at 22:59 UTC"],
  ["2026-11-27T23:59:60Z", false, "second 60 on a day that ends no month (5.7; ajv: accepted)"],
  ["1999-01-02T00:59:60+01:00", false, "second 60, the day before ends no month (ajv: accepted)"],
  ["2024-02-29T23:59:60Z", true, "a leap second at the end of a leap February"],
  ["2024-02-28T23:59:60Z", false, "second 60 on Feb 28 of a leap year (ajv: accepted)"],
  ["2024-02-29T00:00:00Z", true, "Feb 29 in a leap year"],
  ["2023-02-29T00:00:00Z", false, "Feb 29 in a common year"],
  ["2000-02-29T00:00:00Z", true, "Feb 29 in a year divisible by 400"],
  ["1900-02-29T00:00:00Z", false, "Feb 29 in a year divisible by 100 only"],
  ["2026-02-28T00:00:00Z", true, "Feb 28"],
  ["2026-04-30T00:00:00Z", true, "the 30th of a 30-day month"],
  ["2026-04-31T00:00:00Z", false, "the 31st of a 30-day month"],
  ["2026-12-31T00:00:00Z", true, "the 31st of December"],
  ["2026-01-32T00:00:00Z", false, "day 32"],
  ["2026-01-00T00:00:00Z", false, "day 0"],
  ["2026-13-01T00:00:00Z", false, "month 13"],
  ["2026-00-01T00:00:00Z", false, "month 0"],
  ["0000-01-01T00:00:00Z", true, "year 0000"],
  ["9999-12-31T23:59:59Z", true, "year 9999"],
  ["+11963-06-19T08:30:06Z", false, "an extended year"],
  ["2026-1-27T10:00:00Z", false, "a month of one digit"],
  ["2026-11-7T10:00:00Z", false, "a day of one digit"],
  ["2026-11-27T1:00:00Z", false, "an hour of one digit"],
  ["2026/11/27T10:00:00Z", false, "slashes"],
  ["2026-11-1\u09eaT10:00:00Z", false, "a Bengali digit in the date"],
  ["2026-11-27T1\u09ea:00:00Z", false, "a Bengali digit in the time"],
  ["2026-11-27T10:00:00\uff3a", false, "a full-width Z"],
  ["2013-350T01:01:01Z", false, "an ordinal date (ISO 8601, not RFC 3339)"],
  ["", false, "empty"],
];

/** [text, RFC 4122 section 3 verdict, the v4 pattern's verdict, why]. */
export const UUID_BOUNDARIES: [string, boolean, boolean, string][] = [
  ["2eb8aa08-aa98-41ea-b4aa-73b441d16380", true, true, "a v4, lower case"],
  ["2EB8AA08-AA98-41EA-B4AA-73B441D16380", true, true, "upper case (case-insensitive)"],
  ["2eb8aa08-AA98-41ea-B4Aa-73B441D16380", true, true, "a v4, mixed case"],
  ["2eb8aa08-aa98-11ea-b4aa-73b441d16380", true, false, "a v1"],
  ["99c17cbb-656f-564a-940f-1a4568f03487", true, false, "a v5"],
  ["99c17cbb-656f-f64a-940f-1a4568f03487", true, false, "version nibble f"],
  ["00000000-0000-0000-0000-000000000000", true, false, "the nil UUID"],
  ["ffffffff-ffff-ffff-ffff-ffffffffffff", true, false, "the max UUID (RFC 9562)"],
  ["2eb8aa08-aa98-41ea-84aa-73b441d16380", true, true, "v4, variant 8"],
  ["2eb8aa08-aa98-41ea-94aa-73b441d16380", true, true, "v4, variant 9"],
  ["2eb8aa08-aa98-41ea-a4aa-73b441d16380", true, true, "v4, variant a"],
  ["2eb8aa08-aa98-41ea-B4aa-73b441d16380", true, true, "v4, variant B"],
  ["2eb8aa08-aa98-41ea-74aa-73b441d16380", true, false, "v4, variant 7 (NCS)"],
  ["2eb8aa08-aa98-41ea-c4aa-73b441d16380", true, false, "v4, variant c (Microsoft)"],
  ["2eb8aa08-aa98-31ea-84aa-73b441d16380", true, false, "version 3, variant 8"],
  ["2eb8aa08-aa98-51ea-84aa-73b441d16380", true, false, "version 5, variant 8"],
  ["urn:uuid:2eb8aa08-aa98-41ea-b4aa-73b441d16380", false, false, "the URN form (ajv: accepted)"],
  ["URN:UUID:2eb8aa08-aa98-41ea-b4aa-73b441d16380", false, false, "URN, capitals (ajv: accepted)"],
  ["{2eb8aa08-aa98-41ea-b4aa-73b441d16380}", false, false, "in braces"],
  ["2eb8aa08-aa98-41ea-b4aa-73b441d1638", false, false, "35 characters"],
  ["2eb8aa08-aa98-41ea-b4aa-73b441d163800", false, false, "37 characters"],
  ["2eb8aa08-aa98-41ea-b4aa-73b441d16380 ", false, false, "a trailing space"],
  ["2eb8aa08-aa98-41ea-b4aa-73b441d16380\n", false, false, "a trailing newline"],
  ["2eb8aa08aa9841eab4aa73b441d16380", false, false, "no hyphens"],
  ["2eb8aa0-8aa98-41ea-b4aa-73b441d16380", false, false, "the first hyphen one early"],
  ["2eb8aa08a-a98-41ea-b4aa-73b441d16380", false, false, "the first hyphen one late"],
  ["2eb8aa08-aa984-1ea-b4aa-73b441d16380", false, false, "the second hyphen one late"],
  ["2eb8aa08-aa98-41eab-4aa-73b441d16380", false, false, "the third hyphen one late"],
  ["2eb8aa08-aa98-41ea-b4aa7-3b441d16380", false, false, "the fourth hyphen one late"],
  ["2eb8aa08-aa98-41ea-b4aa_73b441d16380", false, false, "an underscore for a hyphen"],
  ["2eb8aa08-aa98-41ea-b4ga-73b441d16380", false, false, "g, not hex"],
  ["2eb8aa08-aa98-41ea-b4aa-73b441d1638G", false, false, "G last, not hex"],
  ["2eb8aa08-aa98-41ea-b4aa-73b441d1638\uff41", false, false, "a full-width a"],
  ["2eb8aa08-aa98-41ea-b4aa-73b441d1638\u0660", false, false, "an Arabic-Indic zero"],
  ["", false, false, "empty"],
];

const twoDigits = (max: number, boundaries: number[]) =>
  fc
    .oneof(fc.integer({ min: 0, max }), fc.constantFrom(...boundaries))
    .map((n) => String(n).padStart(2, "0"));

/** Strings near the RFC 3339 grammar, so that both verdicts occur often. */
export const nearDateTime: fc.Arbitrary<string> = fc
  .tuple(
    fc
      .oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1900, 2000, 2023, 2024, 2100))
      .map((n) => String(n).padStart(4, "0")),
    twoDigits(99, [0, 1, 2, 6, 12, 13]),
    twoDigits(99, [0, 1, 28, 29, 30, 31, 32]),
    fc.constantFrom("T", "t", " ", "\t", "x", ""),
    twoDigits(99, [0, 23, 24, 46]),
    twoDigits(99, [0, 59, 60]),
    twoDigits(99, [0, 59, 60, 61]),
    fc.constantFrom("", ".5", ".123456789", ".", ".000000000000000000001", ",5"),
    fc.constantFrom(
      "Z",
      "z",
      "",
      "+00:00",
      "-00:00",
      "+01:00",
      "-05:30",
      "+23:59",
      "-23:59",
      "+0100",
      "+01",
      "+24:00",
      "-00:60",
      "+1:00",
      "Z ",
      "+01:00Z",
    ),
  )
  .map(
    ([y, mo, d, sep, h, mi, s, frac, zone]) => `${y}-${mo}-${d}${sep}${h}:${mi}:${s}${frac}${zone}`,
  );

/**
 * Second 60 written in local time around 23:59 UTC of a day that ends a month, or the day
 * before or after: the leap-second rule's boundaries in every offset.
 */
export const nearLeapSecond: fc.Arbitrary<string> = fc
  .record({
    year: fc.integer({ min: 1, max: 9998 }),
    month: fc.integer({ min: 1, max: 12 }),
    dayShift: fc.constantFrom(-1, 0, 1),
    minuteShift: fc.integer({ min: -2, max: 2 }),
    offset: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
    fraction: fc.constantFrom("", ".5"),
  })
  .map(({ year, month, dayShift, minuteShift, offset, fraction }) => {
    const utc = new Date(0);
    utc.setUTCFullYear(year, month, 0 + dayShift); // day 0 of the next month: the last of this one
    utc.setUTCHours(23, 59 + minuteShift + offset);
    const local = utc.toISOString().slice(0, 16); // utc plus the offset, written as UTC
    const sign = offset < 0 ? "-" : "+";
    const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
    const mm = String(Math.abs(offset) % 60).padStart(2, "0");
    return `${local}:60${fraction}${sign}${hh}:${mm}`;
  });

const hexDigit = fc.constantFrom(..."0123456789abcdefABCDEF");
const notHexDigit = fc.constantFrom(..."gGzZ-_ :{}\u0660\uff41\u00e9");

/**
 * Strings near a UUID: a random one (any version, often v4 with a v4 variant, in any case),
 * then none, one or two edits (a digit replaced by a non-hex one, a character dropped,
 * inserted, a hyphen moved, a prefix or suffix).
 */
export const nearUuid: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(hexDigit, { minLength: 32, maxLength: 32 }),
    fc.boolean(),
    fc.constantFrom(..."89abAB01cf"),
    fc.array(
      fc.oneof(
        fc.tuple(fc.constant("replace"), fc.nat(40), notHexDigit),
        fc.tuple(fc.constant("drop"), fc.nat(40), fc.constant("")),
        fc.tuple(fc.constant("insert"), fc.nat(40), fc.oneof(hexDigit, notHexDigit)),
        fc.tuple(fc.constant("wrap"), fc.nat(3), fc.constantFrom("urn:uuid:", " ", "{", "\n")),
      ),
      { maxLength: 2 },
    ),
  )
  .map(([digits, v4, variant, edits]) => {
    if (v4) {
      digits[12] = "4";
      digits[16] = variant;
    }
    const d = digits.join("");
    let text = `${d.slice(0, 8)}-${d.slice(8, 12)}-${d.slice(12, 16)}-${d.slice(16, 20)}-${d.slice(20)}`;
    for (const [kind, at, char] of edits) {
      const i = at % (text.length + 1);
      if (kind === "replace") text = text.slice(0, i) + char + text.slice(i + 1);
      if (kind === "drop") text = text.slice(0, i) + text.slice(i + 1);
      if (kind === "insert") text = text.slice(0, i) + char + text.slice(i);
      if (kind === "wrap") text = at % 2 === 0 ? char + text : text + char;
    }
    return text;
  });
