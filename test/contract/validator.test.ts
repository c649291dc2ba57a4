import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { type JsonSchema, typesOf, UUID_V4_PATTERN } from "../../src/contract/json-schema.js";
import { sampleOf } from "../../src/contract/sample.js";
import { ContractValidator } from "../../src/contract/validator.js";

const validator = ContractValidator.load();
const NOT_V4 = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"; // a valid v1 UUID

interface Mutation {
  label: string;
  value: unknown;
  rule: string;
  source: "docs" | "profile";
}

/** Every way the contract lets a field be wrong, each with the rule it must be reported under. */
function mutationsOf(schema: JsonSchema): Mutation[] {
  const profileFor = (keyword: string) => (schema["x-profile"]?.[keyword] ? "profile" : "docs");
  if (schema.anyOf) return [{ label: "an object", value: {}, rule: "one-of", source: "docs" }];
  const types = typesOf(schema);
  const mutations: Mutation[] = [];
  const wrong = types.includes("string") ? 42 : "42";
  mutations.push({ label: "a wrong type", value: wrong, rule: "type", source: "docs" });
  if (!types.includes("null"))
    mutations.push({ label: "null", value: null, rule: "nullable", source: "docs" });
  if (schema.format === "uuid")
    mutations.push({ label: "not a uuid", value: "ticket-1", rule: "format", source: "docs" });
  if (schema.pattern === UUID_V4_PATTERN) {
    mutations.push({ label: "a v1 uuid", value: NOT_V4, rule: "uuid-v4", source: "docs" });
  }
  if (schema.format === "date-time") {
    mutations.push({
      label: "a date without zone",
      value: "2026-11-27T10:00:00",
      rule: "format",
      source: "docs",
    });
  }
  if (schema.enum)
    mutations.push({
      label: "an unknown value",
      value: "bogus",
      rule: "enum",
      source: profileFor("enum"),
    });
  if (schema.minimum !== undefined) {
    mutations.push({
      label: "below the minimum",
      value: schema.minimum - 1,
      rule: "minimum",
      source: "docs",
    });
  }
  if (schema.maximum !== undefined) {
    mutations.push({
      label: "above the maximum",
      value: schema.maximum + 1,
      rule: "maximum",
      source: "docs",
    });
  }
  if (schema.multipleOf === 1) {
    mutations.push({
      label: "a fraction",
      value: 2.5,
      rule: "integer",
      source: profileFor("multipleOf"),
    });
  }
  return mutations;
}

interface FieldCase {
  shape: string;
  path: string[];
  schema: JsonSchema;
  required: boolean;
}

/** Every field of every shape, nested ones (the parameters' path/query/headers) included. */
function fieldCases(): FieldCase[] {
  const cases: FieldCase[] = [];
  const walk = (shape: string, node: JsonSchema, path: string[]) => {
    for (const [name, property] of Object.entries(node.properties ?? {})) {
      const required = node.required?.includes(name) ?? false;
      if (property.properties) walk(shape, property, [...path, name]);
      else cases.push({ shape, path: [...path, name], schema: property, required });
    }
  };
  for (const shape of validator.shapeNames())
    walk(shape, validator.schema(shape) as JsonSchema, []);
  return cases;
}

function validSample(shape: string): Record<string, unknown> {
  faker.seed(7);
  return sampleOf(validator.schema(shape) as JsonSchema, faker) as Record<string, unknown>;
}

function withValue(
  sample: Record<string, unknown>,
  path: string[],
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(sample);
  let node = copy;
  for (const name of path.slice(0, -1)) node = node[name] as Record<string, unknown>;
  const last = path.at(-1) as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

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
  const cases = fieldCases();

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
