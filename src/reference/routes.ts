/**
 * From an HTTP request to an operation of the contract: the route table comes from the
 * derived OpenAPI document, and the query is decoded by the types the contract gives
 * each parameter, so that the contract's own schemas can validate it.
 */
import type { JsonSchema } from "../contract/json-schema.js";
import { typesOf } from "../contract/json-schema.js";

export interface Route {
  operationId: string;
  method: string;
  pattern: RegExp;
  pathNames: string[];
}

export interface RouteMatch {
  route?: Route;
  /** Methods the path answers, when it is known but not for this method. */
  allowed?: string[];
  path: Record<string, string>;
}

export function routesOf(openapi: {
  paths: Record<string, Record<string, { operationId: string }>>;
}): Route[] {
  const routes: Route[] = [];
  for (const [path, item] of Object.entries(openapi.paths)) {
    const pathNames = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
    const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, "([^/]*)")}$`);
    for (const [method, operation] of Object.entries(item)) {
      routes.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        pattern,
        pathNames,
      });
    }
  }
  // Literal segments win over parameters: /tickets/details is not /tickets/{id}.
  return routes.sort((a, b) => a.pathNames.length - b.pathNames.length);
}

/** Throws URIError for a malformed percent-encoding in the path. */
export function matchRoute(routes: Route[], method: string, pathname: string): RouteMatch {
  const allowed: string[] = [];
  for (const route of routes) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const path = Object.fromEntries(
      route.pathNames.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? "")]),
    );
    if (route.method === method) return { route, path };
    if (!allowed.includes(route.method)) allowed.push(route.method);
  }
  return { allowed, path: {} };
}

/**
 * Query strings carry text: numbers and booleans are read as the contract types them,
 * repeated keys become arrays, and anything else stays text for the schema to refuse.
 */
export function decodeQuery(
  params: URLSearchParams,
  schema: JsonSchema | undefined,
): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    const values = params.getAll(name);
    if (values.length === 0) continue;
    const decoded = values.map((value) => decodeScalar(value, property));
    query[name] = decoded.length === 1 ? decoded[0] : decoded;
  }
  return query;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

function decodeScalar(value: string, schema: JsonSchema): unknown {
  const types = typesOf(schema);
  if ((types.includes("number") || types.includes("integer")) && NUMBER.test(value))
    return Number(value);
  if (types.includes("boolean") && (value === "true" || value === "false")) return value === "true";
  return value;
}
