/**
 * Validates bodies against the derived contract: ajv (JSON Schema 2020-12, strict, formats
 * on, the contract's two, `uuid` and `date-time`, from formats.ts), each schema compiled
 * once. A failure reads like a reviewer wrote it: the operation, the JSON pointer, the rule,
 * expected and actual, and whether the docs or the profile state the rule, quoted.
 * Undocumented extra fields are warnings, not failures.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsPlugin from "ajv-formats";
import { CONTRACTS_DIR } from "../util/package-root.js";
import { describeValue } from "./drift.js";
import { isDateTime, isUuid } from "./formats.js";
import {
  CONTRACT_KEYWORDS,
  type JsonSchema,
  SCHEMA_ID_BASE,
  UUID_V4_PATTERN,
} from "./json-schema.js";

const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

export type Rule =
  | "required"
  | "type"
  | "nullable"
  | "format"
  | "uuid-v4"
  | "enum"
  | "minimum"
  | "maximum"
  | "integer"
  | "one-of"
  | "status"
  | "undocumented-field"
  | string;

export interface Violation {
  /** Where: `createTicket 200`, or the shape's name when validated on its own. */
  where: string;
  /** JSON pointer into the validated value; "" is the value itself. */
  pointer: string;
  rule: Rule;
  expected: string;
  actual: string;
  source: "docs" | "profile";
  /** The rule's words, from the docs line or the profile. */
  quote: string;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  failures: Violation[];
  warnings: Violation[];
}

interface OperationResponses {
  method: string;
  path: string;
  /** status -> shape name, `Name[]` for an array of it. */
  responses: Record<string, string>;
  /** status -> the array schema around the shape, where the contract wraps it in one. */
  wrappers: Record<string, JsonSchema>;
}

const loaded = new Map<string, ContractValidator>();

export interface LoadOptions {
  /** Per field name, a vendor's own values for the enums the profile pins. */
  enums?: Record<string, string[]>;
  /** Take a UUID of any version where the docs say "UUID v4" (the reference server does). */
  anyUuidVersion?: boolean;
}

const UNDOCUMENTED_FIELD_RULE =
  "The two ticket shapes: An undocumented extra field is reported as a warning, not a failure.";
const MAX_ACTUAL_LENGTH = 80;

export class ContractValidator {
  private readonly ajv = new Ajv2020({
    strict: true,
    allowUnionTypes: true,
    allErrors: true,
    verbose: true,
  });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly knownKeys = new Map<string, Set<string>>();
  /** Per shape, the keys of the last item seen with no undocumented field, in its order. */
  private readonly cleanKeys = new Map<string, string[]>();

  private constructor(
    private readonly schemas: Record<string, JsonSchema>,
    private readonly operations: Record<string, OperationResponses>,
  ) {
    addFormats(this.ajv);
    this.ajv.addFormat("uuid", { type: "string", validate: isUuid });
    this.ajv.addFormat("date-time", { type: "string", validate: isDateTime });
    this.ajv.addVocabulary([...CONTRACT_KEYWORDS]);
    for (const [name, schema] of Object.entries(schemas)) {
      this.ajv.addSchema(schema as object);
      this.knownKeys.set(name, new Set(Object.keys(schema.properties ?? {})));
    }
  }

  /**
   * The contract in `dir`, compiled once per process (compiling costs ~100 ms). `enums`
   * replaces, per field name, the values of the enums the profile pins (a vendor's own
   * values, from its config); the docs' own enums are never replaced.
   */
  static load(dir = CONTRACTS_DIR, options: LoadOptions = {}): ContractValidator {
    const key = `${dir}\u0000${JSON.stringify(options)}`;
    let validator = loaded.get(key);
    if (!validator) {
      validator = ContractValidator.compile(dir, options);
      loaded.set(key, validator);
    }
    return validator;
  }

  private static compile(dir: string, options: LoadOptions): ContractValidator {
    const schemas: Record<string, JsonSchema> = {};
    const schemaDir = join(dir, "schemas");
    for (const file of readdirSync(schemaDir).filter((name) => name.endsWith(".schema.json"))) {
      const schema: JsonSchema = JSON.parse(readFileSync(join(schemaDir, file), "utf8"));
      if (options.anyUuidVersion) dropUuidVersion(schema);
      schemas[file.replace(/\.schema\.json$/, "")] = replaceProfileEnums(
        schema,
        options.enums ?? {},
      );
    }
    const openapi = JSON.parse(readFileSync(join(dir, "openapi.json"), "utf8"));
    return new ContractValidator(schemas, operationsOf(openapi));
  }

  shapeNames(): string[] {
    return Object.keys(this.schemas);
  }

  schema(shape: string): JsonSchema | undefined {
    return this.schemas[shape];
  }

  /** The shape the contract gives a response: `TicketDetails[]`, `Error`, ... or undefined. */
  responseShape(operationId: string, status: number): string | undefined {
    return this.operations[operationId]?.responses[String(status)];
  }

  documentedStatuses(operationId: string): number[] {
    return Object.keys(this.operations[operationId]?.responses ?? {}).map(Number);
  }

  validateResponse(operationId: string, status: number, body: unknown): ValidationResult {
    const where = `${operationId} ${status}`;
    const operation = this.operations[operationId];
    if (!operation) throw new Error(`the contract has no operation "${operationId}"`);
    const shape = operation.responses[String(status)];
    if (!shape)
      return { ok: false, failures: [this.undocumentedStatus(operationId, status)], warnings: [] };
    return this.validateShape(shape, body, where, operation.wrappers[String(status)]);
  }

  /** Validates `value` against a shape (`TicketDetails`, or `TicketDetails[]` for an array of it). */
  validateShape(
    shape: string,
    value: unknown,
    where = shape,
    wrapper?: JsonSchema,
  ): ValidationResult {
    const isArray = shape.endsWith("[]");
    const name = isArray ? shape.slice(0, -2) : shape;
    const item = this.schemas[name];
    if (!item) throw new Error(`the contract has no shape "${name}"`);
    const root = isArray
      ? (wrapper ?? { type: "array", items: { $ref: `${SCHEMA_ID_BASE}${name}.schema.json` } })
      : item;
    const validate = this.validatorFor(shape, root);
    const failures = validate(value)
      ? []
      : this.explain(validate.errors ?? [], isArray ? item : root, where);
    const warnings = this.undocumentedFields(name, isArray ? value : [value], isArray, where);
    return { ok: failures.length === 0, failures, warnings };
  }

  private validatorFor(shape: string, root: JsonSchema): ValidateFunction {
    let validate = this.compiled.get(shape);
    if (!validate) {
      validate = root.$id
        ? (this.ajv.getSchema(root.$id) as ValidateFunction)
        : this.ajv.compile(root);
      this.compiled.set(shape, validate);
    }
    return validate;
  }

  private explain(errors: ErrorObject[], root: JsonSchema, where: string): Violation[] {
    // An anyOf reports every alternative's errors too; one line for the anyOf says it all.
    const anyOfPaths = errors
      .filter((error) => error.keyword === "anyOf")
      .map((error) => error.schemaPath);
    const own = errors.filter(
      (error) => !anyOfPaths.some((path) => error.schemaPath.startsWith(`${path}/`)),
    );
    // Past a wrong type, the value's format, pattern and enum say nothing more.
    const typed = new Set(
      own.filter((error) => error.keyword === "type").map((error) => error.instancePath),
    );
    const formatted = new Set(
      own.filter((error) => error.keyword === "format").map((error) => error.instancePath),
    );
    return own
      .filter((error) => error.keyword === "type" || !typed.has(error.instancePath))
      .filter((error) => error.keyword !== "pattern" || !formatted.has(error.instancePath))
      .map((error) => this.violation(error, root, where));
  }

  private violation(error: ErrorObject, root: JsonSchema, where: string): Violation {
    const node = (error.parentSchema ?? {}) as JsonSchema;
    let pointer = error.instancePath;
    let rule: Rule = error.keyword;
    let expected: string;
    let actual = cut(error.data);
    let quoteNode = node;
    switch (error.keyword) {
      case "required": {
        const missing = String(error.params.missingProperty);
        pointer = `${pointer}/${missing}`;
        expected = "the field to be present";
        actual = "absent";
        quoteNode = node.properties?.[missing] ?? node;
        break;
      }
      case "type":
        if (error.data === null) rule = "nullable";
        expected =
          rule === "nullable" ? `a non-null ${describeValue(node)}` : `${describeValue(node)}`;
        actual = error.data === null ? "null" : `${kindOf(error.data)} ${actual}`;
        break;
      case "format":
        expected = `a ${error.params.format} string`;
        break;
      case "pattern":
        rule = node.pattern === UUID_V4_PATTERN ? "uuid-v4" : "pattern";
        expected =
          rule === "uuid-v4"
            ? "a UUID v4 (version 4, variant 8/9/a/b)"
            : `to match /${node.pattern}/`;
        break;
      case "enum":
        expected = `one of ${(node.enum ?? []).map((value) => JSON.stringify(value)).join(", ")}`;
        break;
      case "multipleOf":
        rule = node.multipleOf === 1 ? "integer" : "multipleOf";
        expected = rule === "integer" ? "an integer" : `a multiple of ${node.multipleOf}`;
        break;
      case "minimum":
      case "maximum":
        expected = `${error.keyword === "minimum" ? ">=" : "<="} ${error.params.limit}`;
        break;
      case "anyOf":
        rule = "one-of";
        expected = `one of: ${(node.anyOf ?? []).map(describeValue).join(" | ")}`;
        break;
      default:
        expected = error.message ?? error.keyword;
    }
    const { source, quote: docsQuote } = sourceOf(error.keyword, quoteNode, node, root);
    // The v4 rule is in the docs' description ("A UUID v4 string ..."), so quote that too.
    const quote =
      rule === "uuid-v4" && node.description ? `${docsQuote} — "${node.description}"` : docsQuote;
    const at = pointer === "" ? "(body)" : pointer;
    const message = `${where} ${at}: ${rule}: expected ${expected}, got ${actual} [${source}: ${quote}]`;
    return { where, pointer, rule, expected, actual, source, quote, message };
  }

  private undocumentedFields(
    name: string,
    items: unknown,
    isArray: boolean,
    where: string,
  ): Violation[] {
    const known = this.knownKeys.get(name);
    if (!known || known.size === 0 || !Array.isArray(items)) return [];
    const warnings: Violation[] = [];
    let clean = this.cleanKeys.get(name) ?? [];
    items.forEach((item, index) => {
      if (item === null || typeof item !== "object" || Array.isArray(item)) return;
      if (hasKeys(item, clean)) return;
      const keys = Object.keys(item);
      if (keys.every((key) => known.has(key))) {
        clean = keys;
        return;
      }
      for (const key of keys) {
        if (known.has(key)) continue;
        const pointer = `${isArray ? `/${index}` : ""}/${escapePointer(key)}`;
        const actual = cut((item as Record<string, unknown>)[key]);
        warnings.push({
          where,
          pointer,
          rule: "undocumented-field",
          expected: `only the fields the docs list for ${name}`,
          actual,
          source: "profile",
          quote: UNDOCUMENTED_FIELD_RULE,
          message: `${where} ${pointer}: undocumented-field: the docs list no field "${key}" in ${name} (value ${actual})`,
        });
      }
    });
    this.cleanKeys.set(name, clean);
    return warnings;
  }

  private undocumentedStatus(operationId: string, status: number): Violation {
    const where = `${operationId} ${status}`;
    const documented = this.documentedStatuses(operationId);
    const expected = `one of ${documented.join(", ")}`;
    const quote = `the docs document 200 for ${operationId}; PROFILE.md "Errors" adds ${documented.filter((code) => code !== 200).join(", ")}`;
    return {
      where,
      pointer: "",
      rule: "status",
      expected,
      actual: String(status),
      source: status >= 400 && status < 500 ? "profile" : "docs",
      quote,
      message: `${where}: status: expected ${expected}, got ${status} [${quote}]`,
    };
  }
}

/** Removes the v4 pattern wherever it stands: properties, alternatives, array items. */
function dropUuidVersion(schema: JsonSchema): void {
  if (schema.pattern === UUID_V4_PATTERN) delete schema.pattern;
  for (const child of [
    ...Object.values(schema.properties ?? {}),
    ...(schema.anyOf ?? []),
    ...(schema.items ? [schema.items] : []),
  ]) {
    dropUuidVersion(child);
  }
}

function replaceProfileEnums(schema: JsonSchema, enums: Record<string, string[]>): JsonSchema {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const values = enums[name];
    const pinned = property["x-profile"];
    if (values && property.enum && pinned?.enum) {
      property.enum = property.enum.includes(null) ? [...values, null] : [...values];
      pinned.enum = `vendor config: ${name} takes ${values.join(", ")}`;
    }
    replaceProfileEnums(property, enums);
  }
  return schema;
}

function sourceOf(
  keyword: string,
  quoteNode: JsonSchema,
  node: JsonSchema,
  root: JsonSchema,
): { source: "docs" | "profile"; quote: string } {
  const pinned = node["x-profile"]?.[keyword];
  if (pinned) return { source: "profile", quote: pinned };
  const whole = [quoteNode, node, root].find((candidate) => candidate["x-source"] === "profile");
  if (whole) return { source: "profile", quote: whole["x-rule"] ?? "PROFILE.md" };
  return {
    source: "docs",
    quote: quoteNode["x-docs"] ?? node["x-docs"] ?? root["x-docs"] ?? "the docs",
  };
}

function operationsOf(openapi: {
  paths?: Record<string, Record<string, OpenApiOperation>>;
}): Record<string, OperationResponses> {
  const operations: Record<string, OperationResponses> = {};
  for (const [path, item] of Object.entries(openapi.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      const responses: Record<string, string> = {};
      const wrappers: Record<string, JsonSchema> = {};
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const schema = response.content?.["application/json"]?.schema;
        const name = refName(schema?.items?.$ref ?? schema?.$ref);
        responses[status] = schema?.items ? `${name}[]` : name;
        if (schema?.items)
          wrappers[status] = { ...schema, items: { $ref: `${SCHEMA_ID_BASE}${name}.schema.json` } };
      }
      operations[operation.operationId] = {
        method: method.toUpperCase(),
        path,
        responses,
        wrappers,
      };
    }
  }
  return operations;
}

interface OpenApiOperation {
  operationId: string;
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

function refName(ref: string | undefined): string {
  return (
    ref
      ?.split("/")
      .pop()
      ?.replace(/\.schema\.json$/, "") ?? ""
  );
}

/**
 * Whether a for-in over `item` yields exactly `keys`, in order: then it has no undocumented
 * field either (Object.keys yields a subset of them), found with one comparison per key and
 * no lookup, as the items of a page come from one serializer, their keys in one order.
 */
function hasKeys(item: object, keys: string[]): boolean {
  let at = 0;
  for (const key in item) {
    if (key !== keys[at]) return false;
    at++;
  }
  return at === keys.length;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** A value as JSON, cut to a length that is safe to print. */
export function cut(value: unknown, max = MAX_ACTUAL_LENGTH): string {
  let text: string;
  try {
    text = value === undefined ? "undefined" : JSON.stringify(value);
  } catch {
    text = `${kindOf(value)} (too deeply nested to print)`; // JSON.stringify recurses
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
