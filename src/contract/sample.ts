/**
 * Valid instances of a contract shape, made from its schema with faker: for tests that
 * need a well-formed body to break one rule at a time, and for benchmarks.
 */
import type { Faker } from "@faker-js/faker";
import { type JsonSchema, typesOf } from "./json-schema.js";

export function sampleOf(schema: JsonSchema, faker: Faker, nullChance = 0.2): unknown {
  if (schema.anyOf) return sampleOf(faker.helpers.arrayElement(schema.anyOf), faker, nullChance);
  const types = typesOf(schema);
  if (types.includes("null") && faker.datatype.boolean(nullChance)) return null;
  if (schema.enum) return faker.helpers.arrayElement(schema.enum.filter((value) => value !== null));
  const type = types.find((candidate) => candidate !== "null");
  switch (type) {
    case "object":
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, property]) => [
          name,
          sampleOf(property, faker, nullChance),
        ]),
      );
    case "array":
      return Array.from({ length: faker.number.int({ min: 0, max: 3 }) }, () =>
        sampleOf(schema.items ?? {}, faker, nullChance),
      );
    case "string":
      return sampleString(schema, faker);
    case "integer":
    case "number":
      return faker.number.int({ min: schema.minimum ?? 0, max: schema.maximum ?? 500 });
    case "boolean":
      return faker.datatype.boolean();
    default:
      return null;
  }
}

function sampleString(schema: JsonSchema, faker: Faker): string {
  if (schema.format === "uuid") return faker.string.uuid();
  if (schema.format === "date-time") return faker.date.past({ years: 1 }).toISOString();
  return faker.lorem.sentence({ min: 2, max: 12 });
}
