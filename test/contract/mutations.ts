/**
 * Valid bodies and the ways to break one field of them: the validator's own tests break each
 * field once and check the reported rule; the fast path's differential test breaks them at
 * random and checks that both paths give the same verdict.
 */
import { faker } from "@faker-js/faker";
import { type JsonSchema, typesOf, UUID_V4_PATTERN } from "../../src/contract/json-schema.js";
import { sampleOf } from "../../src/contract/sample.js";
import type { ContractValidator } from "../../src/contract/validator.js";

export const NOT_V4 = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"; // a valid v1 UUID

export interface Mutation {
  label: string;
  value: unknown;
  rule: string;
  source: "docs" | "profile";
}

/** Every way the contract lets a field be wrong, each with the rule it must be reported under. */
export function mutationsOf(schema: JsonSchema): Mutation[] {
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

export interface FieldCase {
  shape: string;
  path: string[];
  schema: JsonSchema;
  required: boolean;
}

/** Every field of every shape, nested ones (the parameters' path/query/headers) included. */
export function fieldCases(
  validator: ContractValidator,
  shapes = validator.shapeNames(),
): FieldCase[] {
  const cases: FieldCase[] = [];
  const walk = (shape: string, node: JsonSchema, path: string[]) => {
    for (const [name, property] of Object.entries(node.properties ?? {})) {
      const required = node.required?.includes(name) ?? false;
      if (property.properties) walk(shape, property, [...path, name]);
      else cases.push({ shape, path: [...path, name], schema: property, required });
    }
  };
  for (const shape of shapes) walk(shape, validator.schema(shape) as JsonSchema, []);
  return cases;
}

/** A valid body of `shape`, the same for the same seed. */
export function validSample(
  validator: ContractValidator,
  shape: string,
  seed = 7,
): Record<string, unknown> {
  faker.seed(seed);
  return sampleOf(validator.schema(shape) as JsonSchema, faker) as Record<string, unknown>;
}

/** A copy of `sample` with the field at `path` set to `value`, or removed for undefined. */
export function withValue<T>(sample: T, path: (string | number)[], value: unknown): T {
  const copy = structuredClone(sample);
  let node = copy as Record<string | number, unknown>;
  for (const name of path.slice(0, -1)) node = node[name] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}
