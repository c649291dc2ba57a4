import { faker } from "@faker-js/faker";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JsonSchema } from "../../src/contract/json-schema.js";
import { sampleOf } from "../../src/contract/sample.js";
import { ContractValidator } from "../../src/contract/validator.js";
import {
  fieldCases,
  mutationsOf,
  NOT_V4,
  validSample as validSampleOf,
  withValue,
} from "./mutations.js";

const validator = ContractValidator.load();
const validSample = (shape: string) => validSampleOf(validator, shape);

describe("a valid sample of each shape", () => {
  it.each(validator.shapeNames())("%s is accepted with no failure and no warning", (shape) => {
    for (let seed = 1; seed <= 20; seed++) {
      faker.seed(seed);
      const result = validator.validateShape(
        shape,
        sampleOf(validator.schema(shape) as JsonSchema, faker),
      );
      expect(result.failures.map((failure) => failure.message)).toEqual([]);
      expect(result.warnings).toEqual([]);
    }
  });
});

describe("each field broken one way at a time is rejected for that reason", () => {
  const cases = fieldCases(validator);

  it("covers every field of the 18 shapes", () => {
    expect(validator.shapeNames()).toHaveLength(18);
    // details, row, tag link, message, error body, request bodies, path + query + header parameters
    expect(cases).toHaveLength(32 + 12 + 4 + 1 + 1 + 8 + (7 + 10 + 8));
  });

  it.each(cases.map((c) => [`${c.shape}.${c.path.join(".")}`, c] as const))("%s", (_, field) => {
    const sample = validSample(field.shape);
    const pointer = `/${field.path.join("/")}`;
    const expectations = mutationsOf(field.schema).map((mutation) => ({ ...mutation, pointer }));
    if (field.required) {
      expectations.push({
        label: "absent",
        value: undefined,
        rule: "required",
        source: "docs",
        pointer,
      });
    }
    const wholeShapeFromProfile = validator.schema(field.shape)?.["x-source"] === "profile";
    for (const expected of expectations) {
      if (wholeShapeFromProfile) expected.source = "profile";
      const result = validator.validateShape(
        field.shape,
        withValue(sample, field.path, expected.value),
      );
      const summary = result.failures.map(({ rule, pointer, source }) => ({
        rule,
        pointer,
        source,
      }));
      expect(summary, expected.label).toEqual([
        { rule: expected.rule, pointer, source: expected.source },
      ]);
    }
  });
});

describe("responses", () => {
  const details = () => validSample("TicketDetails");

  it("a failure reads like a reviewer wrote it", () => {
    const result = validator.validateResponse("getTicketDetails", 200, {
      ...details(),
      assigneeName: 7,
    });
    expect(result.failures).toEqual([
      {
        where: "getTicketDetails 200",
        pointer: "/assigneeName",
        rule: "type",
        expected: "string",
        actual: "integer 7",
        source: "docs",
        quote: "assigneeName: string · nullable · Required",
        message:
          "getTicketDetails 200 /assigneeName: type: expected string, got integer 7 [docs: assigneeName: string · nullable · Required]",
      },
    ]);
  });

  it("quotes the profile for a profile rule, and the docs' words for the UUID v4 rule", () => {
    const status = validator.validateResponse("getTicketDetails", 200, {
      ...details(),
      status: "closed",
    });
    expect(status.failures[0]?.message).toBe(
      'getTicketDetails 200 /status: enum: expected one of "pending", "ongoing", "completed", got "closed" ' +
        "[profile: Enumerations: `status` (every ticket shape, and the list filter) | `pending`, `ongoing`, `completed`]",
    );
    const row = validSample("TicketRow");
    const v1 = validator.validateResponse("createTicket", 200, { ...row, id: NOT_V4 });
    expect(v1.failures[0]?.quote).toBe(
      'id: string · uuid · Required — "A UUID v4 string that identifies an entity."',
    );
  });

  it("cuts a long actual value to a safe length", () => {
    const result = validator.validateResponse("getTicketDetails", 200, {
      ...details(),
      ownerName: ["y".repeat(500)],
    });
    const actual =
      result.failures.find((failure) => failure.pointer === "/ownerName")?.actual ?? "";
    expect(actual.length).toBeLessThanOrEqual(90);
    expect(actual.endsWith("…")).toBe(true);
  });

  it("reports an undocumented field as a warning, not a failure", () => {
    const result = validator.validateResponse("getTicketDetails", 200, {
      ...details(),
      priority: "high",
    });
    expect(result.ok).toBe(true);
    expect(result.failures).toEqual([]);
    expect(
      result.warnings.map((warning) => [warning.rule, warning.pointer, warning.source]),
    ).toEqual([["undocumented-field", "/priority", "profile"]]);
  });

  it("warns of every undocumented field of every item, in any order of keys, whatever came before", () => {
    const known = Object.keys(validator.schema("TicketDetails")?.properties ?? {});
    const item = fc.record({
      order: fc.shuffledSubarray(known, { minLength: known.length - 2 }),
      extra: fc.subarray(["priority", "toString", "__proto__", "id "]),
      at: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), fc.boolean(), (items, twice) => {
        const sample = details();
        const page = items.map(({ order, extra, at }) => {
          const keys = [...order];
          keys.splice(at % (keys.length + 1), 0, ...extra);
          return Object.fromEntries(
            keys.map((key) => [key, Object.hasOwn(sample, key) ? sample[key] : "x"]),
          );
        });
        const expected = page.flatMap((body, index) =>
          Object.keys(body)
            .filter((key) => !known.includes(key))
            .map((key) => `/${index}/${key}`),
        );
        if (twice) validator.validateResponse("listTicketDetails", 200, page);
        const { warnings } = validator.validateResponse("listTicketDetails", 200, page);
        expect(warnings.map((warning) => warning.pointer)).toEqual(expected);
      }),
      { numRuns: 500, seed: 42 },
    );
  });

  it("checks every item of a list page, and the page is an array by the profile", () => {
    const page = [details(), { ...details(), channelType: "fax" }, { ...details(), extra: 1 }];
    const result = validator.validateResponse("listTicketDetails", 200, page);
    expect(result.failures.map((failure) => [failure.pointer, failure.rule])).toEqual([
      ["/1/channelType", "enum"],
    ]);
    expect(result.warnings.map((warning) => warning.pointer)).toEqual(["/2/extra"]);
    const envelope = validator.validateResponse("listTicketDetails", 200, { items: page });
    expect(
      envelope.failures.map((failure) => [failure.pointer, failure.rule, failure.source]),
    ).toEqual([["", "type", "profile"]]);
    expect(envelope.failures[0]?.quote).toMatch(/^The list endpoint: Response: a JSON array/);
  });

  it("validates error bodies against the profile's shape", () => {
    expect(
      validator.validateResponse("completeTicket", 409, { message: "already completed" }).ok,
    ).toBe(true);
    const bad = validator.validateResponse("completeTicket", 409, { error: "already completed" });
    expect(bad.failures.map((failure) => [failure.pointer, failure.rule, failure.source])).toEqual([
      ["/message", "required", "profile"],
    ]);
  });

  it("fails a status the contract does not document for the operation", () => {
    const result = validator.validateResponse("listTicketDetails", 404, { message: "no" });
    expect(
      result.failures.map((failure) => [failure.rule, failure.expected, failure.actual]),
    ).toEqual([["status", "one of 200, 400, 401", "404"]]);
    expect(validator.documentedStatuses("removeTicketTag")).toEqual([200, 400, 401, 404]);
    expect(validator.responseShape("listTicketDetails", 200)).toBe("TicketDetails[]");
  });
});
