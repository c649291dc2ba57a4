import { fullFormats } from "ajv-formats/dist/formats.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDateTime } from "../../src/contract/formats.js";

const reference = (fullFormats["date-time"] as { validate: (text: string) => boolean }).validate;

const twoDigits = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, "0"));
/** Strings near the RFC 3339 grammar, so both verdicts occur often. */
const nearDateTime = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, "0")),
    twoDigits,
    twoDigits,
    fc.constantFrom("T", "t", " ", "\t", "x", ""),
    twoDigits,
    twoDigits,
    twoDigits,
    fc.constantFrom("", ".5", ".123456789", "."),
    fc.constantFrom(
      "Z",
      "z",
      "",
      "+01:00",
      "-05:30",
      "+0100",
      "+01",
      "+24:00",
      "-00:60",
      "+1:00",
      "Z ",
    ),
  )
  .map(
    ([y, mo, d, sep, h, mi, s, frac, zone]) => `${y}-${mo}-${d}${sep}${h}:${mi}:${s}${frac}${zone}`,
  );

describe("isDateTime", () => {
  it("gives ajv-formats' full-mode verdict on strings near the grammar", () => {
    fc.assert(
      fc.property(nearDateTime, (text) => {
        expect(isDateTime(text)).toBe(reference(text));
      }),
      { numRuns: 20_000, seed: 42 },
    );
  });

  it("gives ajv-formats' verdict on any string", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        expect(isDateTime(text)).toBe(reference(text));
      }),
      { numRuns: 5_000, seed: 42 },
    );
  });

  it.each([
    ["2026-11-27T10:00:00Z", true],
    ["2026-11-27T10:00:00.123+05:30", true],
    ["2024-02-29T00:00:00Z", true],
    ["2023-02-29T00:00:00Z", false],
    ["2026-11-27T10:00:00", false],
    ["2026-11-27", false],
    ["2016-12-31T23:59:60Z", true],
    ["2016-12-31T22:59:60Z", false],
  ])("%s -> %s", (text, verdict) => {
    expect(isDateTime(text)).toBe(verdict);
    expect(reference(text)).toBe(verdict);
  });
});
