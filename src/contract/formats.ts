/**
 * RFC 3339 date-time with the same verdicts as ajv-formats' "full" mode (a property test
 * holds it to that), read character by character: ajv-formats splits the string and runs
 * two regexes, about four times the cost, on every timestamp of every ticket.
 */

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/**
 * RFC 3339 date-time: `YYYY-MM-DD`, then "T", "t" or a whitespace, `hh:mm:ss[.fraction]`,
 * then a zone: `Z`, `z`, `±hh`, `±hhmm` or `±hh:mm`. Calendar-valid; 23:59:60 UTC allowed.
 */
export function isDateTime(text: string): boolean {
  if (text.length < 20) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (text[4] !== "-" || text[7] !== "-" || !validDate(year, month, day)) return false;
  if (!isSeparator(text.charCodeAt(10))) return false;
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const wholeSecond = digits(text, 17, 2);
  if (text[13] !== ":" || text[16] !== ":" || hour < 0 || minute < 0 || wholeSecond < 0)
    return false;
  let at = 19;
  if (text[at] === ".") {
    const fractionStart = ++at;
    while (isDigit(text.charCodeAt(at))) at++;
    if (at === fractionStart) return false;
  }
  const zone = parseZone(text, at);
  if (!zone || zone.hour > 23 || zone.minute > 59) return false;
  if (hour <= 23 && minute <= 59 && wholeSecond <= 59) return true;
  return isLeapSecond(hour, minute, wholeSecond, zone);
}

interface Zone {
  sign: number;
  hour: number;
  minute: number;
}

function parseZone(text: string, at: number): Zone | undefined {
  const rest = text.length - at;
  const first = text[at];
  if (rest === 1 && (first === "Z" || first === "z")) return { sign: 1, hour: 0, minute: 0 };
  if (first !== "+" && first !== "-") return undefined;
  const sign = first === "-" ? -1 : 1;
  const hour = digits(text, at + 1, 2);
  if (hour < 0) return undefined;
  if (rest === 3) return { sign, hour, minute: 0 };
  const colon = text[at + 3] === ":" ? 1 : 0;
  if (rest !== 5 + colon) return undefined;
  const minute = digits(text, at + 3 + colon, 2);
  return minute < 0 ? undefined : { sign, hour, minute };
}

/** 23:59:60 UTC, wherever the zone puts it. */
function isLeapSecond(hour: number, minute: number, second: number, zone: Zone): boolean {
  const utcMinute = minute - zone.minute * zone.sign;
  const utcHour = hour - zone.hour * zone.sign - (utcMinute < 0 ? 1 : 0);
  return (
    (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61
  );
}

function validDate(year: number, month: number, day: number): boolean {
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] as number));
}

/** The number written by `count` ASCII digits at `at`, or -1. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** "T", "t", or what the regex `\s` matches, as ajv-formats splits on /t|\s/i. */
function isSeparator(code: number): boolean {
  return code === 84 || code === 116 || /\s/.test(String.fromCharCode(code));
}
