/**
 * Ordering RFC 3339 timestamps, many per list page: two UTC timestamps written alike (same
 * length, `T`, `Z`) compare as text, without Date.parse; any other pair is parsed.
 */
export function compareTimes(a: string, b: string): number {
  if (
    a.length === b.length &&
    a.endsWith("Z") &&
    b.endsWith("Z") &&
    a[10] === "T" &&
    b[10] === "T"
  ) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return Date.parse(a) - Date.parse(b);
}
