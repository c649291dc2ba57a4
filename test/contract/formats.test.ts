import { fullFormats } from "ajv-formats/dist/formats.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDateTime, isUuid } from "../../src/contract/formats.js";
import {
  DATE_TIME_BOUNDARIES,
  nearDateTime,
  nearLeapSecond,
  nearUuid,
  rfc3339,
  rfc4122,
  UUID_BOUNDARIES,
  V4,
} from "./near-formats.js";

const ajvDateTime = (fullFormats["date-time"] as { validate: (text: string) => boolean }).validate;
const ajvUuid = fullFormats.uuid as RegExp;

describe("isDateTime: RFC 3339 date-time", () => {
  it.each(DATE_TIME_BOUNDARIES)("%j -> %s (%s)", (text, verdict) => {
    expect(isDateTime(text)).toBe(verdict);
    expect(rfc3339(text)).toBe(verdict);
  });

  it("states where ajv-formats says otherwise, and says otherwise nowhere else in the table", () => {
    const disagreements = DATE_TIME_BOUNDARIES.filter(
      ([text]) => isDateTime(text) !== ajvDateTime(text),
    );
    expect(disagreements.map(([, , why]) => why)).toEqual(
      DATE_TIME_BOUNDARIES.filter(([, , why]) => why.includes("ajv:")).map(([, , why]) => why),
    );
  });

  it("gives the RFC's verdict on strings near the grammar, and takes none ajv-formats refuses", () => {
    fc.assert(
      fc.property(nearDateTime, (text) => {
        expect(isDateTime(text)).toBe(rfc3339(text));
        // (but for seconds such as 59.999999999999999, which ajv-formats rounds to 60)
        if (isDateTime(text)) expect(ajvDateTime(text)).toBe(true);
      }),
      { numRuns: 20_000, seed: 42 },
    );
  });

  it("gives the RFC's verdict on leap seconds in every offset, around the end of each month", () => {
    let leapSeconds = 0;
    fc.assert(
      fc.property(nearLeapSecond, (text) => {
        expect(isDateTime(text)).toBe(rfc3339(text));
        if (rfc3339(text)) leapSeconds++;
      }),
      { numRuns: 5_000, seed: 42 },
    );
    expect(leapSeconds).toBeGreaterThan(200); // both verdicts occur
    expect(leapSeconds).toBeLessThan(4_800);
  });

  it("gives the RFC's verdict on any string", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        expect(isDateTime(text)).toBe(rfc3339(text));
      }),
      { numRuns: 5_000, seed: 42 },
    );
  });
});

describe("isUuid: RFC 4122 UUID, and the contract's v4 pattern", () => {
  it.each(UUID_BOUNDARIES)("%j -> uuid %s, v4 %s (%s)", (text, uuid, v4) => {
    expect(isUuid(text)).toBe(uuid);
    expect(rfc4122(text)).toBe(uuid);
    expect(V4.test(text)).toBe(v4);
  });

  it("states where ajv-formats says otherwise, and says otherwise nowhere else in the table", () => {
    const disagreements = UUID_BOUNDARIES.filter(([text]) => isUuid(text) !== ajvUuid.test(text));
    expect(disagreements.map(([, , , why]) => why)).toEqual(
      UUID_BOUNDARIES.filter(([, , , why]) => why.includes("ajv:")).map(([, , , why]) => why),
    );
  });

  it("gives the RFC's verdict on strings near a UUID", () => {
    fc.assert(
      fc.property(nearUuid, (text) => {
        expect(isUuid(text)).toBe(rfc4122(text));
        if (isUuid(text)) expect(ajvUuid.test(text)).toBe(true);
      }),
      { numRuns: 20_000, seed: 42 },
    );
  });

  it("gives the RFC's verdict on any string", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        expect(isUuid(text)).toBe(rfc4122(text));
      }),
      { numRuns: 5_000, seed: 42 },
    );
  });
});
