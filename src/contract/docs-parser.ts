/**
 * Parses the vendor's API reference as published: a text export of its docs site
 * (`contracts/source/tickets-api.txt`). The format, as the export writes it:
 *
 *   get                                   <- an operation starts with its method
 *   Retrieves a ticket with details.      <- summary
 *   Path parameters | Query parameters | Header parameters | Body | Responses
 *   idstring · uuidRequired               <- name, type, " · " modifiers, Required/Optional glued
 *   A UUID v4 string that identifies an entity.   <- description
 *   Possible values: / Default: 1 / or     <- enum list, default, anyOf alternatives
 *   200 / Retrieves a ticket. / application/json  <- a response, then its body fields
 *   get                                   <- the operation ends with method and path
 *   /api/v1/tickets/{id}/details
 */

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";
export type DocsSection = "path" | "query" | "header" | "body";

export interface DocsField {
  /** Absent on an alternative of an "any of" field. */
  name?: string;
  type: "string" | "number" | "integer" | "boolean" | "object" | "anyOf";
  format?: string;
  isArray: boolean;
  nullable: boolean;
  isEnum: boolean;
  /** Values the docs list under "Possible values:"; empty when the list is empty. */
  enumValues: string[];
  minimum?: number;
  maximum?: number;
  required: boolean;
  default?: unknown;
  description?: string;
  alternatives: DocsField[];
  /** The field line as the docs print it, for quoting in reports. */
  docsLine: string;
  lineNumber: number;
}

export interface DocsResponse {
  status: number;
  description: string;
  contentType?: string;
  fields: DocsField[];
}

export interface DocsOperation {
  method: HttpMethod;
  path: string;
  summary: string;
  parameters: Record<DocsSection, DocsField[]>;
  responses: DocsResponse[];
  lineNumber: number;
}

export interface DocsModel {
  title: string;
  operations: DocsOperation[];
}

export class DocsFormatError extends Error {
  constructor(message: string, lineNumber: number) {
    super(`docs line ${lineNumber}: ${message}`);
    this.name = "DocsFormatError";
  }
}

interface Line {
  text: string;
  number: number;
}

const METHODS = new Set(["get", "post", "put", "patch", "delete"]);
const SECTIONS: Record<string, DocsSection | "responses"> = {
  "Path parameters": "path",
  "Query parameters": "query",
  "Header parameters": "header",
  Body: "body",
  Responses: "responses",
};
const FIELD_LINE =
  /^([a-z][A-Za-z0-9]*?)?(string|number|integer|boolean|object|any of)((?: · [^·]+?)*?)(Required|Optional)(.*)$/;
const POSSIBLE_VALUES = "Possible values:";
const DEFAULT_PREFIX = "Default: ";
const CONTENT_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/;

export function parseDocs(text: string): DocsModel {
  const lines: Line[] = text
    .split(/\r?\n/)
    .map((raw, index) => ({ text: raw.trim(), number: index + 1 }))
    .filter((line) => line.text !== "");
  const title = lines[0]?.text ?? "";
  const operations: DocsOperation[] = [];
  let blockStart = 1;
  for (let i = 1; i < lines.length - 1; i++) {
    const line = lines[i] as Line;
    const next = lines[i + 1] as Line;
    if (METHODS.has(line.text) && next.text.startsWith("/")) {
      operations.push(
        parseOperation(lines.slice(blockStart, i), line.text as HttpMethod, next.text),
      );
      blockStart = i + 2;
      i++;
    }
  }
  if (operations.length === 0) {
    throw new DocsFormatError("no operation found (expected a method line followed by a path)", 1);
  }
  return { title, operations };
}

function parseOperation(block: Line[], method: HttpMethod, path: string): DocsOperation {
  const first = block[0];
  if (!first || first.text !== method) {
    const at = first?.number ?? 0;
    throw new DocsFormatError(
      `the operation ${method} ${path} does not start with "${method}"`,
      at,
    );
  }
  const operation: DocsOperation = {
    method,
    path,
    summary: block[1]?.text ?? "",
    parameters: { path: [], query: [], header: [], body: [] },
    responses: [],
    lineNumber: first.number,
  };
  let section: DocsSection | "responses" | undefined;
  let response: DocsResponse | undefined;
  let fields: DocsField[] | undefined;
  let field: DocsField | undefined;
  let current: DocsField | undefined;
  let readingValues = false;

  for (const line of block.slice(2)) {
    const { text } = line;
    const sectionName = SECTIONS[text];
    if (sectionName) {
      section = sectionName;
      fields = section === "responses" ? undefined : operation.parameters[section];
      field = current = undefined;
      readingValues = false;
      continue;
    }
    if (section === undefined) {
      throw new DocsFormatError(`unexpected text before any section: "${text}"`, line.number);
    }
    if (section === "responses" && /^\d{3}$/.test(text)) {
      response = { status: Number(text), description: "", fields: [] };
      operation.responses.push(response);
      fields = response.fields;
      field = current = undefined;
      readingValues = false;
      continue;
    }
    if (response && !field && CONTENT_TYPE.test(text)) {
      response.contentType = text;
      continue;
    }
    const match = FIELD_LINE.exec(text);
    if (match) {
      const parsed = parseFieldLine(match, line);
      readingValues = parsed.readingValues;
      if (parsed.field.name === undefined) {
        if (field?.type !== "anyOf") {
          throw new DocsFormatError(
            `a field without a name outside an "any of": "${text}"`,
            line.number,
          );
        }
        field.alternatives.push(parsed.field);
      } else {
        if (!fields) throw new DocsFormatError(`a field outside any body: "${text}"`, line.number);
        field = parsed.field;
        fields.push(field);
      }
      current = parsed.field;
      continue;
    }
    if (text === "or" && field?.type === "anyOf") {
      readingValues = false;
      continue;
    }
    if (text === POSSIBLE_VALUES && current) {
      current.isEnum = true;
      readingValues = true;
      continue;
    }
    if (text.startsWith(DEFAULT_PREFIX) && field) {
      field.default = parseDefault(text.slice(DEFAULT_PREFIX.length));
      readingValues = false;
      continue;
    }
    if (readingValues && current) {
      current.enumValues.push(...parseEnumValues(text));
      continue;
    }
    if (current) {
      current.description = current.description ? `${current.description}\n${text}` : text;
    } else if (response) {
      response.description = response.description ? `${response.description} ${text}` : text;
    } else {
      throw new DocsFormatError(`unexpected text in ${section} section: "${text}"`, line.number);
    }
  }
  return operation;
}

function parseFieldLine(
  match: RegExpExecArray,
  line: Line,
): { field: DocsField; readingValues: boolean } {
  const [, name, type = "", modifierText = "", requiredness, rest = ""] = match;
  const field: DocsField = {
    type: type === "any of" ? "anyOf" : (type as DocsField["type"]),
    isArray: false,
    nullable: false,
    isEnum: false,
    enumValues: [],
    required: requiredness === "Required",
    alternatives: [],
    docsLine: line.text,
    lineNumber: line.number,
  };
  if (name !== undefined) field.name = name;
  const modifiers = modifierText
    .split(" · ")
    .map((modifier) => modifier.trim())
    .filter(Boolean);
  for (const raw of modifiers) {
    const modifier = raw.endsWith("[]") ? raw.slice(0, -2) : raw;
    if (modifier !== raw) field.isArray = true;
    applyModifier(field, modifier, line);
  }
  let readingValues = false;
  const trailing = rest.trim();
  if (trailing.startsWith(POSSIBLE_VALUES)) {
    field.isEnum = true;
    field.enumValues.push(...parseEnumValues(trailing.slice(POSSIBLE_VALUES.length)));
    readingValues = true;
  } else if (trailing.startsWith(DEFAULT_PREFIX)) {
    field.default = parseDefault(trailing.slice(DEFAULT_PREFIX.length));
  } else if (trailing !== "") {
    throw new DocsFormatError(
      `unexpected text after Required/Optional: "${trailing}"`,
      line.number,
    );
  }
  return { field, readingValues };
}

function applyModifier(field: DocsField, modifier: string, line: Line): void {
  if (modifier === "nullable") field.nullable = true;
  else if (modifier === "enum") field.isEnum = true;
  else if (modifier === "uuid" || modifier === "date-time") field.format = modifier;
  else if (modifier.startsWith("min: ")) field.minimum = parseNumber(modifier.slice(5), line);
  else if (modifier.startsWith("max: ")) field.maximum = parseNumber(modifier.slice(5), line);
  else throw new DocsFormatError(`unknown type modifier "${modifier}"`, line.number);
}

function parseNumber(text: string, line: Line): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new DocsFormatError(`not a number: "${text}"`, line.number);
  return value;
}

function parseDefault(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseEnumValues(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((value) => value.replace(/^[`"']|[`"']$/g, ""))
    .filter(Boolean);
}
