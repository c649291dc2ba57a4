/**
 * Describes, in words, how two versions of the contract differ: field by field
 * (`TicketDetails.assigneeEmail: nullable true -> false`) and operation by operation.
 */
import { type JsonSchema, typesOf, UUID_V4_PATTERN } from "./json-schema.js";

type Attributes = Record<string, string>;

/** Differences between two sets of named schemas, one line each, in a stable order. */
export function describeDifferences(
  before: Record<string, JsonSchema>,
  after: Record<string, JsonSchema>,
): string[] {
  return diffFlat(flattenSchemas(before), flattenSchemas(after));
}

/** Differences between two OpenAPI documents' operations: methods, paths, bodies, responses. */
export function describeOperationDifferences(before: unknown, after: unknown): string[] {
  return diffFlat(flattenOperations(before), flattenOperations(after));
}

function diffFlat(before: Map<string, Attributes>, after: Map<string, Attributes>): string[] {
  const lines: string[] = [];
  for (const [key, old] of before) {
    const now = after.get(key);
    if (!now) {
      lines.push(`${key}: removed (was ${summarize(old)})`);
      continue;
    }
    for (const attribute of new Set([...Object.keys(old), ...Object.keys(now)])) {
      const from = old[attribute] ?? "(none)";
      const to = now[attribute] ?? "(none)";
      if (from !== to) lines.push(`${key}: ${attribute} ${from} -> ${to}`);
    }
  }
  for (const [key, now] of after) {
    if (!before.has(key)) lines.push(`${key}: added (${summarize(now)})`);
  }
  return lines;
}

function summarize(attributes: Attributes): string {
  return Object.entries(attributes)
    .filter(([name]) => name !== "description")
    .map(([name, value]) => `${name} ${value}`)
    .join(", ");
}

function flattenSchemas(schemas: Record<string, JsonSchema>): Map<string, Attributes> {
  const flat = new Map<string, Attributes>();
  for (const name of Object.keys(schemas).sort()) {
    const schema = schemas[name] as JsonSchema;
    flat.set(name, { type: typesOf(schema).join("|") || "any", ...sourceOf(schema) });
    flattenProperties(name, schema, flat);
  }
  return flat;
}

function flattenProperties(
  prefix: string,
  schema: JsonSchema,
  flat: Map<string, Attributes>,
): void {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const key = `${prefix}.${name}`;
    flat.set(key, {
      required: String(schema.required?.includes(name) ?? false),
      ...attributesOf(property),
    });
    if (property.properties) flattenProperties(key, property, flat);
  }
}

function attributesOf(schema: JsonSchema): Attributes {
  const attributes: Attributes = {};
  if (schema.anyOf) {
    attributes.type = schema.anyOf.map(describeValue).join(" | ");
  } else {
    const types = typesOf(schema);
    attributes.type = describeValue(schema);
    attributes.nullable = String(types.includes("null"));
  }
  const value = schema.items ?? schema;
  if (value.enum) attributes.enum = value.enum.filter((item) => item !== null).join(", ");
  if (value.minimum !== undefined) attributes.minimum = String(value.minimum);
  if (value.maximum !== undefined) attributes.maximum = String(value.maximum);
  if (value.multipleOf !== undefined) attributes.multipleOf = String(value.multipleOf);
  if (schema.default !== undefined) attributes.default = JSON.stringify(schema.default);
  if (schema.description) attributes.description = JSON.stringify(schema.description);
  return { ...attributes, ...sourceOf(schema), ...sourceOf(value) };
}

/** `string (uuid v4)`, `string (date-time)[]`, `integer`: type and format, without null. */
export function describeValue(schema: JsonSchema): string {
  if (schema.$ref)
    return (
      schema.$ref
        .split("/")
        .pop()
        ?.replace(/\.schema\.json$/, "") ?? "any"
    );
  if (schema.items) return `${describeValue(schema.items)}[]`;
  const type =
    typesOf(schema)
      .filter((type) => type !== "null")
      .join("|") || "any";
  const format = schema.pattern === UUID_V4_PATTERN ? `${schema.format} v4` : schema.format;
  const pattern =
    schema.pattern && schema.pattern !== UUID_V4_PATTERN ? ` /${schema.pattern}/` : "";
  return `${type}${format ? ` (${format})` : ""}${pattern}`;
}

function sourceOf(schema: JsonSchema): Attributes {
  const attributes: Attributes = {};
  const pinned = Object.keys(schema["x-profile"] ?? {});
  if (pinned.length > 0) attributes["profile rules"] = pinned.join(", ");
  if (schema["x-source"]) attributes.source = schema["x-source"];
  return attributes;
}

interface OpenApiLike {
  paths?: Record<string, Record<string, OperationLike>>;
}
interface OperationLike {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: SchemaRef }> };
  responses?: Record<string, { content?: Record<string, { schema?: SchemaRef }> }>;
}
interface SchemaRef {
  $ref?: string;
  type?: string;
  items?: SchemaRef;
}

function flattenOperations(document: unknown): Map<string, Attributes> {
  const flat = new Map<string, Attributes>();
  const paths = (document as OpenApiLike | undefined)?.paths ?? {};
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const key = operation.operationId ?? `${method} ${path}`;
      const attributes: Attributes = { endpoint: `${method.toUpperCase()} ${path}` };
      const body = operation.requestBody?.content?.["application/json"]?.schema;
      if (body) attributes["request body"] = shapeName(body);
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        attributes[`response ${status}`] = shapeName(
          response.content?.["application/json"]?.schema,
        );
      }
      flat.set(key, attributes);
    }
  }
  return flat;
}

function shapeName(schema: SchemaRef | undefined): string {
  if (!schema) return "(no JSON body)";
  if (schema.items) return `${shapeName(schema.items)}[]`;
  return schema.$ref?.split("/").pop() ?? schema.type ?? "(inline)";
}
