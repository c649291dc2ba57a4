/**
 * The formats where they are used: in every field of every shape the contract gives one, the
 * validator's verdict on a body is the one the RFCs give. The oracle is a second ajv with the
 * same schemas and, as formats, the RFCs written the slow, obvious way (near-formats.ts).
 * Each validator the harness loads is checked: the default, the reference server's (any
 * UUID version) and a vendor's (its own enum values).
 */
import { faker } from "@faker-js/faker";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CONTRACT_KEYWORDS,
  type JsonSchema,
  SCHEMA_ID_BASE,
  UUID_V4_PATTERN,
} from "../../src/contract/json-schema.js";
import { sampleOf } from "../../src/contract/sample.js";
import { ContractValidator, type LoadOptions } from "../../src/contract/validator.js";
import { type FieldCase, fieldCases, mutationsOf, validSample, withValue } from "./mutations.js";
import {
  DATE_TIME_BOUNDARIES,
  nearDateTime,
  nearUuid,
  rfc3339,
  rfc4122,
  UUID_BOUNDARIES,
} from "./near-formats.js";

const VARIANTS: [string, LoadOptions][] = [
  ["the default contract", {}],
  ["any UUID version (the reference server)", { anyUuidVersion: true }],
  ["a vendor's enums", { enums: { status: ["open", "closed"], channelType: ["web", "fax"] } }],
];

/** The verdict of the validator's schemas with the RFC oracles as formats. */
function oracleOf(validator: ContractValidator): (shape: string, value: unknown) => boolean {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
  ajv.addFormat("uuid", { type: "string", validate: rfc4122 });
  ajv.addFormat("date-time", { type: "string", validate: rfc3339 });
  ajv.addVocabulary([...CONTRACT_KEYWORDS]);
  for (const shape of validator.shapeNames())
    ajv.addSchema(structuredClone(validator.schema(shape)) as object);
  return (shape, value) => {
    const id = `${SCHEMA_ID_BASE}${shape.replace(/\[\]$/, "")}.schema.json`;
    return shape.endsWith("[]")
      ? Array.isArray(value) && value.every((item) => ajv.validate(id, item))
      : (ajv.validate(id, value) as boolean);
  };
}

/** The string schema a field's strings are checked against: its own, or its anyOf's. */
function stringSchemaOf(schema: JsonSchema): JsonSchema | undefined {
  if (schema.anyOf) return schema.anyOf.map(stringSchemaOf).find(Boolean);
  if (schema.items) return stringSchemaOf(schema.items);
  return schema.format ? schema : undefined;
}

/** The boundary strings of a field's format, with the verdict for the field. */
function boundariesFor(schema: JsonSchema): [string, boolean][] {
  if (schema.format === "date-time")
    return DATE_TIME_BOUNDARIES.map(([text, verdict]) => [text, verdict]);
  const v4 = schema.pattern === UUID_V4_PATTERN;
  return UUID_BOUNDARIES.map(([text, uuid, isV4]) => [text, v4 ? isV4 : uuid]);
}

/** Values near the field's rule, on both sides of it, and a few of no kind in particular. */
function valuesFor(field: FieldCase): fc.Arbitrary<unknown> {
  const near = stringSchemaOf(field.schema)?.format === "date-time" ? nearDateTime : nearUuid;
  const value = fc.oneof(
    fc.constantFrom(undefined, ...mutationsOf(field.schema).map((mutation) => mutation.value)),
    fc.constantFrom(...DATE_TIME_BOUNDARIES.map(([text]) => text)),
    fc.constantFrom(...UUID_BOUNDARIES.map(([text]) => text)),
    near,
    near,
    fc.constantFrom(-1, 0, 1, 2.5, 100, 101),
    fc.jsonValue({ maxDepth: 2 }),
  );
  // An anyOf of a string and an array of strings: the string as such, or as the one item.
  return field.schema.anyOf
    ? fc
        .tuple(value, fc.boolean())
        .map(([v, inArray]) => (inArray && typeof v === "string" ? [v] : v))
    : value;
}

describe.each(VARIANTS)("%s", (_, options) => {
  const validator = ContractValidator.load(undefined, options);
  const oracle = oracleOf(validator);

  it("gives the RFC's verdict on each boundary of each format, in every field of every shape", () => {
    const page = [
      validSample(validator, "TicketDetails", 1),
      validSample(validator, "TicketDetails", 2),
    ];
    let checked = 0;
    for (const field of fieldCases(validator)) {
      const strings = stringSchemaOf(field.schema);
      if (!strings) continue;
      const sample = validSample(validator, field.shape);
      for (const [text, verdict] of boundariesFor(strings)) {
        for (const value of field.schema.anyOf ? [text, [text]] : [text]) {
          const what = `${field.shape}.${field.path.join(".")} = ${JSON.stringify(value)}`;
          const body = withValue(sample, field.path, value);
          expect(validator.validateShape(field.shape, body).ok, what).toBe(verdict);
          if (field.shape === "TicketDetails") {
            const broken = withValue(page, [1, ...field.path], value);
            expect(validator.validateResponse("listTicketDetails", 200, broken).ok, what).toBe(
              verdict,
            );
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1_000);
  });

  it("gives the oracle's verdict on near-valid pages of details", () => {
    const item = validator.schema("TicketDetails") as JsonSchema;
    const mutation = fc
      .constantFrom(...fieldCases(validator, ["TicketDetails"]))
      .chain((field) => fc.tuple(fc.constant(field), valuesFor(field)));
    const verdicts = { ok: 0, failing: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        fc.array(mutation, { maxLength: 2 }),
        (seed, size, index, mutations) => {
          faker.seed(seed);
          let page = Array.from({ length: size }, () => sampleOf(item, faker));
          for (const [field, value] of mutations)
            page = withValue(page, [index % size, ...field.path], value);
          const ok = validator.validateResponse("listTicketDetails", 200, page).ok;
          expect(ok).toBe(oracle("TicketDetails[]", page));
          verdicts[ok ? "ok" : "failing"]++;
        },
      ),
      { numRuns: 2_000, seed: 42 },
    );
    expect(verdicts.ok).toBeGreaterThan(200);
    expect(verdicts.failing).toBeGreaterThan(200);
  });

  it("gives the oracle's verdict on near-valid bodies of every shape", () => {
    const mutation = fc
      .constantFrom(...fieldCases(validator))
      .chain((field) => fc.tuple(fc.constant(field), valuesFor(field)));
    const verdicts = { ok: 0, failing: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), mutation, (seed, [field, value]) => {
        const body = withValue(validSample(validator, field.shape, seed), field.path, value);
        const ok = validator.validateShape(field.shape, body).ok;
        expect(ok).toBe(oracle(field.shape, body));
        verdicts[ok ? "ok" : "failing"]++;
      }),
      { numRuns: 2_000, seed: 42 },
    );
    expect(verdicts.ok).toBeGreaterThan(200);
    expect(verdicts.failing).toBeGreaterThan(200);
  });
});
