/**
 * The contract's two string formats, `uuid` and `date-time`, as the RFCs they point to write
 * them, read character by character: ajv-formats' regexes cost two to three times as much,
 * on every id and timestamp of every ticket (about 1,000 strings a page of 100 details). The
 * validator gives ajv these in place of ajv-formats' own, and the passive checks use them,
 * so a verdict is decided in one place. Where ajv-formats 3 reads the RFCs more loosely, the
 * RFC wins; test/contract/near-formats.ts lists each of those boundaries.
 */

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The class of each UTF-16 code unit: HEX for an ASCII hex digit (either case), DIGIT for
 * an ASCII digit too. Every value charCodeAt returns indexes it, so a read needs no bounds
 * test, and a run of digits is checked with `&`, without a branch per character.
 */
const HEX = 1;
const DIGIT = 2;
const CLASS = new Uint8Array(65536);
for (const digit of "abcdefABCDEF") CLASS[digit.charCodeAt(0)] = HEX;
for (const digit of "0123456789") CLASS[digit.charCodeAt(0)] = HEX | DIGIT;

/**
 * RFC 3339 section 5.6 `date-time`: `YYYY-MM-DD`, "T", `hh:mm:ss`, an optional fraction of
 * one digit or more, then "Z" or `±hh:mm` (ABNF literals are case-insensitive, and the
 * section's NOTE allows "t" and "z"). The date is a calendar date (Appendix C's leap years),
 * hours 00-23, minutes 00-59, offsets up to ±23:59. Second 60 is a leap second, which
 * section 5.7 allows only at 23:59:60 UTC on the last day of a month.
 *
 * Refused although ajv-formats takes them: a space or other whitespace for "T" (the NOTE's
 * "applications may choose" is not the grammar), `±hh` and `±hhmm` offsets, an hour or
 * minute out of range that an offset brings back to 23:59 (`24:59:59+01:00`), and second 60
 * on a day that does not end a month.
 */
export function isDateTime(text: string): boolean {
  const length = text.length;
  if (length < 20) return false;
  const century = digits(text, 0);
  const yearOfCentury = digits(text, 2);
  const year = century * 100 + yearOfCentury;
  const month = digits(text, 5);
  const day = digits(text, 8);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false; // "-"
  if (
    century < 0 ||
    yearOfCentury < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysIn(year, month)
  )
    return false;
  const separator = text.charCodeAt(10);
  if (separator !== 84 && separator !== 116) return false; // "T", "t"
  const hour = digits(text, 11);
  const minute = digits(text, 14);
  const second = digits(text, 17);
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false; // ":"
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  let at = 19;
  if (text.charCodeAt(at) === 46) {
    // "." and one digit or more
    at++;
    while (at < length && ((CLASS[text.charCodeAt(at)] as number) & DIGIT) !== 0) at++;
    if (at === 20) return false;
  }
  const zone = text.charCodeAt(at);
  let offset = 0; // minutes east of UTC
  if (zone === 90 || zone === 122) {
    // "Z", "z"
    if (at + 1 !== length) return false;
  } else if (zone === 43 || zone === 45) {
    // "+", "-"
    if (at + 6 !== length || text.charCodeAt(at + 3) !== 58) return false;
    const offsetHour = digits(text, at + 1);
    const offsetMinute = digits(text, at + 4);
    if (offsetHour < 0 || offsetHour > 23 || offsetMinute < 0 || offsetMinute > 59) return false;
    offset = (zone === 45 ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  } else {
    return false;
  }
  return second < 60 || isLeapSecond(year, month, day, hour * 60 + minute - offset);
}

/**
 * RFC 3339 section 5.7: second 60 only at 23:59 UTC at the end of a month. `utcMinute` is
 * the UTC minute of the local day, -1439 to 2878: 1439 is 23:59 UTC the same day, -1 is
 * 23:59 UTC the day before, which ends a month when the local day is the 1st.
 */
function isLeapSecond(year: number, month: number, day: number, utcMinute: number): boolean {
  if (utcMinute === 1439) return day === daysIn(year, month);
  return utcMinute === -1 && day === 1;
}

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] as number);
}

/** The number written by two ASCII digits at `at`, or -1. */
function digits(text: string, at: number): number {
  const tens = text.charCodeAt(at);
  const units = text.charCodeAt(at + 1);
  return ((CLASS[tens] as number) & (CLASS[units] as number) & DIGIT) === 0
    ? -1
    : tens * 10 + units - 528; // 48 * 11
}

/**
 * RFC 4122 section 3 (RFC 9562 section 4) `UUID`: 8-4-4-4-12 hex digits, either case
 * ("case insensitive on input"), any version and variant, the nil UUID included. The URN
 * form `urn:uuid:...` is a URN, not a UUID string: refused, although ajv-formats takes it
 * (JSON-Schema-Test-Suite refuses it too). Unrolled, one table read per digit and no
 * branch: a loop over the digits with a test per character costs about twice as much.
 */
export function isUuid(text: string): boolean {
  return (
    text.length === 36 &&
    text.charCodeAt(8) === 45 && // "-"
    text.charCodeAt(13) === 45 &&
    text.charCodeAt(18) === 45 &&
    text.charCodeAt(23) === 45 &&
    // 8-4-4-4-12 digits
    (hex4(text, 0) &
      hex4(text, 4) &
      hex4(text, 9) &
      hex4(text, 14) &
      hex4(text, 19) &
      hex4(text, 24) &
      hex4(text, 28) &
      hex4(text, 32)) ===
      1
  );
}

/** 1 when the four code units from `at` are hex digits, else 0. */
function hex4(text: string, at: number): number {
  return (
    (CLASS[text.charCodeAt(at)] as number) &
    (CLASS[text.charCodeAt(at + 1)] as number) &
    (CLASS[text.charCodeAt(at + 2)] as number) &
    (CLASS[text.charCodeAt(at + 3)] as number) &
    HEX
  );
}
