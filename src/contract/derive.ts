/**
 * Derives the contract from the vendor's docs and the default profile: one JSON Schema
 * (2020-12) per shape, an OpenAPI 3.1 document, and TypeScript types, all as file texts.
 * Every rule the docs state is kept as the docs state it; what the docs leave open and
 * PROFILE.md pins is marked `x-profile` / `x-source: profile` with the profile's words.
 */
import { createHash } from "node:crypto";
import {
  type DocsField,
  type DocsModel,
  type DocsOperation,
  type DocsSection,
  parseDocs,
} from "./docs-parser.js";
import { describeDifferences } from "./drift.js";
import {
  JSON_SCHEMA_DIALECT,
  type JsonSchema,
  SCHEMA_ID_BASE,
  typesOf,
  UUID_V4_PATTERN,
} from "./json-schema.js";
import { type ProfileSource, parseProfile } from "./profile-source.js";
import { emitTypes } from "./types-emitter.js";

export class DeriveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeriveError";
  }
}

/** Names the docs do not give: operation ids and shape names, by method and path. */
interface OperationNames {
  operationId: string;
  response: string;
  body?: string;
}
const KNOWN_OPERATIONS: Record<string, OperationNames> = {
  "get /api/v1/tickets/{id}/details": {
    operationId: "getTicketDetails",
    response: "TicketDetails",
  },
  "get /api/v1/tickets/details": { operationId: "listTicketDetails", response: "TicketDetails" },
  "patch /api/v1/tickets/{id}/complete": {
    operationId: "completeTicket",
    response: "TicketRow",
    body: "CompleteTicketBody",
  },
  "post /api/v1/tickets": {
    operationId: "createTicket",
    response: "TicketRow",
    body: "CreateTicketBody",
  },
  "post /api/v1/tickets/{ticketId}/tags": {
    operationId: "attachTicketTag",
    response: "TagLink",
    body: "AttachTicketTagBody",
  },
  "delete /api/v1/tickets/{ticketId}/tags/{tagId}": {
    operationId: "removeTicketTag",
    response: "Message",
  },
  "patch /api/v1/tickets/{id}/takeover": {
    operationId: "takeoverTicket",
    response: "TicketRow",
    body: "TakeoverTicketBody",
  },
  "patch /api/v1/tickets/{id}/assignee": {
    operationId: "updateTicketAssignee",
    response: "TicketRow",
    body: "UpdateTicketAssigneeBody",
  },
};

/** The operations that return a JSON array (PROFILE.md: the list endpoint has no envelope). */
const ARRAY_RESPONSES = new Set(["listTicketDetails"]);

/** PROFILE.md "Errors" and "Lifecycle": which error statuses each operation may answer. */
const ERROR_STATUSES: Record<string, number[]> = {
  getTicketDetails: [400, 401, 404],
  listTicketDetails: [400, 401],
  createTicket: [400, 401, 404, 409],
  completeTicket: [400, 401, 404, 409],
  takeoverTicket: [400, 401, 404, 409],
  updateTicketAssignee: [400, 401, 404, 409],
  attachTicketTag: [400, 401, 404, 409],
  removeTicketTag: [400, 401, 404],
};
const DEFAULT_ERROR_STATUSES = [400, 401];

export interface DerivedOperation {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  parameters: string;
  body?: string;
  /** status -> shape name, with `[]` for an array of that shape. */
  responses: Record<string, string>;
}

export interface DerivedContract {
  schemas: Record<string, JsonSchema>;
  operations: DerivedOperation[];
  openapi: Record<string, unknown>;
  /** Path relative to the contract folder -> file text. */
  files: Map<string, string>;
}

export function deriveContract(docsText: string, profileText: string): DerivedContract {
  const docs = parseDocs(docsText);
  const profile = parseProfile(profileText);
  const builder = new ContractBuilder(profile);
  const operations = docs.operations.map((operation) => builder.addOperation(operation));
  const openapi = buildOpenApi(docs, docsText, operations, builder.schemas, profile);
  const files = new Map<string, string>();
  files.set("openapi.json", json(openapi));
  for (const [name, schema] of Object.entries(builder.schemas)) {
    files.set(`schemas/${name}.schema.json`, json(schema));
  }
  files.set("types.d.ts", emitTypes(builder.schemas, operations));
  return { schemas: builder.schemas, operations, openapi, files };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

class ContractBuilder {
  readonly schemas: Record<string, JsonSchema> = {};
  constructor(private readonly profile: ProfileSource) {
    this.schemas.ErrorBody = this.errorSchema();
  }

  addOperation(operation: DocsOperation): DerivedOperation {
    const key = `${operation.method} ${operation.path}`;
    const names = KNOWN_OPERATIONS[key] ?? inventNames(operation);
    const { operationId } = names;
    const where = `${operation.method.toUpperCase()} ${operation.path}`;
    const parameters = `${pascal(operationId)}Parameters`;
    this.define(parameters, this.parametersSchema(operation, parameters, where), where);
    const derived: DerivedOperation = {
      operationId,
      method: operation.method,
      path: operation.path,
      summary: operation.summary,
      parameters,
      responses: {},
    };
    if (operation.parameters.body.length > 0) {
      derived.body = names.body ?? `${pascal(operationId)}Body`;
      const schema = this.objectSchema(
        operation.parameters.body,
        derived.body,
        `${where} request body`,
      );
      this.define(derived.body, schema, where);
    }
    for (const response of operation.responses) {
      if (response.fields.length === 0) continue;
      const shape =
        operation.responses.length > 1 ? `${names.response}${response.status}` : names.response;
      const schema = this.objectSchema(
        response.fields,
        shape,
        `${where} response ${response.status}`,
      );
      schema.description = response.description;
      this.define(shape, schema, where);
      derived.responses[response.status] = ARRAY_RESPONSES.has(operationId) ? `${shape}[]` : shape;
    }
    for (const status of ERROR_STATUSES[operationId] ?? DEFAULT_ERROR_STATUSES) {
      derived.responses[status] = "ErrorBody";
    }
    return derived;
  }

  /** A shape several operations share must be described alike by each of them. */
  private define(name: string, schema: JsonSchema, where: string): void {
    const existing = this.schemas[name];
    if (existing) {
      const { "x-docs": _a, description: _b, ...left } = existing;
      const { "x-docs": _c, description: _d, ...right } = schema;
      const differences = describeDifferences({ [name]: left }, { [name]: right });
      if (differences.length > 0) {
        throw new DeriveError(
          `the docs describe ${name} differently in ${where} than before (${existing["x-docs"]}): ${differences.join("; ")}`,
        );
      }
      return;
    }
    this.schemas[name] = schema;
  }

  private objectSchema(fields: DocsField[], name: string, where: string): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    for (const field of fields) {
      if (field.name === undefined) continue;
      if (properties[field.name]) {
        throw new DeriveError(`docs line ${field.lineNumber}: ${where} lists ${field.name} twice`);
      }
      properties[field.name] = this.fieldSchema(field);
    }
    return {
      $schema: JSON_SCHEMA_DIALECT,
      $id: `${SCHEMA_ID_BASE}${name}.schema.json`,
      title: name,
      type: "object",
      required: fields
        .filter((field) => field.required && field.name)
        .map((field) => field.name as string),
      properties,
      "x-docs": where,
    };
  }

  private parametersSchema(operation: DocsOperation, name: string, where: string): JsonSchema {
    const group = (section: DocsSection): JsonSchema => {
      const fields = operation.parameters[section].map((field) =>
        section === "header" && field.name ? { ...field, name: field.name.toLowerCase() } : field,
      );
      const {
        $schema: _s,
        $id: _i,
        title: _t,
        ...schema
      } = this.objectSchema(fields, name, `${where} ${section} parameters`);
      return schema;
    };
    return {
      $schema: JSON_SCHEMA_DIALECT,
      $id: `${SCHEMA_ID_BASE}${name}.schema.json`,
      title: name,
      description: `The path, query and header parameters of ${where}.`,
      type: "object",
      required: ["path", "query", "headers"],
      properties: { path: group("path"), query: group("query"), headers: group("header") },
      "x-docs": `${where} parameters`,
    };
  }

  private fieldSchema(field: DocsField, parent?: DocsField): JsonSchema {
    const schema: JsonSchema = {};
    if (field.description) schema.description = field.description;
    if (field.type === "anyOf") {
      schema.anyOf = field.alternatives.map((alternative) => this.fieldSchema(alternative, field));
    } else {
      Object.assign(schema, this.valueSchema(field));
    }
    if (field.default !== undefined) schema.default = field.default;
    schema["x-docs"] = docsRule(field, parent);
    return schema;
  }

  private valueSchema(field: DocsField): JsonSchema {
    const type = field.type as Exclude<DocsField["type"], "anyOf">;
    let value: JsonSchema = { type };
    if (field.format) value.format = field.format;
    if (field.format === "uuid" && /UUID v4/.test(field.description ?? "")) {
      value.pattern = UUID_V4_PATTERN;
    }
    if (field.minimum !== undefined) value.minimum = field.minimum;
    if (field.maximum !== undefined) value.maximum = field.maximum;
    if (
      type === "number" &&
      field.name &&
      (field.minimum !== undefined || field.maximum !== undefined)
    ) {
      // The docs type paging as "number"; PROFILE.md answers a non-integer with 400.
      value.multipleOf = 1;
      value["x-profile"] = {
        multipleOf: this.profile.rule("Errors", "`400` for", `\`${field.name}\``),
      };
    }
    if (field.isEnum) this.addEnum(value, field);
    if (field.isArray) value = { type: "array", items: value };
    if (field.nullable) {
      value.type = [...typesOf(value), "null"];
      if (value.enum) value.enum = [...value.enum, null];
    }
    return value;
  }

  private addEnum(schema: JsonSchema, field: DocsField): void {
    if (field.enumValues.length > 0) {
      schema.enum = [...field.enumValues];
      return;
    }
    const pinned = field.name ? this.profile.enums.get(field.name) : undefined;
    if (!pinned) {
      throw new DeriveError(
        `docs line ${field.lineNumber}: ${field.name} is an enum whose "Possible values:" list is empty, and PROFILE.md pins no values for it`,
      );
    }
    schema.enum = [...pinned.values];
    schema["x-profile"] = { ...schema["x-profile"], enum: pinned.quote };
  }

  private errorSchema(): JsonSchema {
    return {
      $schema: JSON_SCHEMA_DIALECT,
      $id: `${SCHEMA_ID_BASE}ErrorBody.schema.json`,
      title: "ErrorBody",
      description: "The body of every 4xx/5xx response.",
      type: "object",
      required: ["message"],
      properties: { message: { type: "string" } },
      "x-source": "profile",
      "x-rule": this.profile.rule("Errors", "Every 4xx/5xx body is JSON"),
    };
  }
}

/** The docs' field line, spaced out: `pageSize: number · min: 1 · max: 100 · Optional`. */
function docsRule(field: DocsField, parent?: DocsField): string {
  const parts = [field.type === "anyOf" ? "any of" : field.type];
  if (field.format) parts.push(field.isArray ? `${field.format}[]` : field.format);
  if (field.isEnum) parts.push("enum");
  if (field.nullable) parts.push("nullable");
  if (field.minimum !== undefined) parts.push(`min: ${field.minimum}`);
  if (field.maximum !== undefined) parts.push(`max: ${field.maximum}`);
  parts.push(field.required ? "Required" : "Optional");
  if (field.default !== undefined) parts.push(`Default: ${JSON.stringify(field.default)}`);
  const name = field.name ?? `${parent?.name} (one of the "any of")`;
  return `${name}: ${parts.join(" · ")}`;
}

function inventNames(operation: DocsOperation): OperationNames {
  const words = operation.path
    .split("/")
    .filter((segment) => segment && !/^(api|v\d+)$/.test(segment))
    .map((segment) => segment.replace(/[{}]/g, ""));
  const operationId = [operation.method, ...words.map(pascal)].join("");
  return { operationId, response: `${pascal(operationId)}Response` };
}

function pascal(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function buildOpenApi(
  docs: DocsModel,
  docsText: string,
  operations: DerivedOperation[],
  schemas: Record<string, JsonSchema>,
  profile: ProfileSource,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const item = paths[operation.path] ?? {};
    paths[operation.path] = item;
    item[operation.method] = openApiOperation(operation, docs.title, schemas, profile);
  }
  const components: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (name.endsWith("Parameters")) continue;
    const { $schema: _s, $id: _i, ...rest } = schema;
    components[name] = rest;
  }
  const digest = createHash("sha256").update(docsText).digest("hex").slice(0, 12);
  return {
    openapi: "3.1.0",
    info: {
      title: `${docs.title} API`,
      version: `docs-${digest}`,
      description:
        "Derived by tickets-api-harness from the vendor's published API reference (contracts/source/tickets-api.txt). " +
        "What the docs leave open is pinned by the default profile (contracts/source/PROFILE.md) and marked " +
        "`x-profile` (keyword -> profile rule) or `x-source: profile`; everything else is as the docs state it.",
    },
    tags: [{ name: docs.title }],
    security: [{ apiKey: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        apiKey: {
          type: "apiKey",
          in: "header",
          name: "authorization",
          description: `The API key, sent raw in the authorization header. ${profile.rule("Authentication", "Header `authorization`")}`,
        },
      },
    },
  };
}

function openApiOperation(
  operation: DerivedOperation,
  tag: string,
  schemas: Record<string, JsonSchema>,
  profile: ProfileSource,
): Record<string, unknown> {
  const parametersSchema = schemas[operation.parameters];
  const parameters: Record<string, unknown>[] = [];
  for (const location of ["path", "query"] as const) {
    const group = parametersSchema?.properties?.[location];
    for (const [name, schema] of Object.entries(group?.properties ?? {})) {
      const { description, ...rest } = schema;
      const parameter: Record<string, unknown> = {
        name,
        in: location,
        required: group?.required?.includes(name) ?? false,
      };
      if (description) parameter.description = description;
      parameter.schema = rest;
      parameters.push(parameter);
    }
  }
  const responses: Record<string, unknown> = {};
  for (const [status, shape] of Object.entries(operation.responses)) {
    responses[status] = openApiResponse(status, shape, schemas, profile);
  }
  const result: Record<string, unknown> = {
    operationId: operation.operationId,
    summary: operation.summary,
    tags: [tag],
    security: [{ apiKey: [] }],
    parameters,
  };
  if (operation.body) {
    result.requestBody = {
      required: true,
      content: {
        "application/json": { schema: { $ref: `#/components/schemas/${operation.body}` } },
      },
    };
  }
  result.responses = responses;
  return result;
}

const ERROR_RULES: Record<string, [string, string]> = {
  "400": ["Errors", "`400` for"],
  "401": ["Authentication", "Missing, empty or wrong key"],
  "404": ["Errors", "`404` for"],
  "409": ["Errors", "`409` for"],
};

function openApiResponse(
  status: string,
  shape: string,
  schemas: Record<string, JsonSchema>,
  profile: ProfileSource,
): Record<string, unknown> {
  const isArray = shape.endsWith("[]");
  const name = isArray ? shape.slice(0, -2) : shape;
  const ref = { $ref: `#/components/schemas/${name}` };
  const schema = isArray
    ? {
        type: "array",
        items: ref,
        "x-source": "profile",
        "x-rule": profile.rule("The list endpoint", "Response: a JSON array"),
      }
    : ref;
  const rule = ERROR_RULES[status];
  const description = rule
    ? profile.rule(rule[0], rule[1])
    : (schemas[name]?.description ?? `${status} response`);
  const response: Record<string, unknown> = {
    description,
    content: { "application/json": { schema } },
  };
  if (rule) response["x-source"] = "profile";
  return response;
}
