/** The subset of JSON Schema 2020-12 the derived contract uses, with its vendor extensions. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  format?: string;
  pattern?: string;
  enum?: (string | null)[];
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  default?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  /** The docs' own line for this field, quoted in failures. */
  "x-docs"?: string;
  /** Keywords pinned by PROFILE.md rather than the docs: keyword -> the profile's words. */
  "x-profile"?: Record<string, string>;
  /** The whole node comes from PROFILE.md; `x-rule` quotes it. */
  "x-source"?: "profile";
  "x-rule"?: string;
}

export type JsonType = "string" | "number" | "integer" | "boolean" | "object" | "array" | "null";

/** The custom keywords above, declared to ajv so that strict mode accepts them. */
export const CONTRACT_KEYWORDS = ["x-docs", "x-profile", "x-source", "x-rule"] as const;

/** "A UUID v4 string", as the docs describe ids: version nibble 4, variant 8-b. */
export const UUID_V4_PATTERN =
  "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$";

export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";
export const SCHEMA_ID_BASE = "https://tickets-api-harness.dev/contracts/schemas/";

export function typesOf(schema: JsonSchema): JsonType[] {
  if (schema.type === undefined) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}
