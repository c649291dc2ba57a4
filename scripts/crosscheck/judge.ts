/**
 * Judging one exchange: did it get the expected status from the expected answerer, and what did
 * Prism find in the request and the response (its `sl-violations` header, or its own error)?
 */
import type { Exchange, ExchangeResponse } from "../../src/client/index.js";
import type { ProxyMode } from "./prism.js";

/** The `type` of Prism's own problem+json answers starts with this. */
const PRISM_ERROR_TYPE = "https://stoplight.io/prism/errors#";

/** `prism-replaced`: the server answered, and Prism (`--errors`) replaced it with its 500. */
export type Answerer = "server" | "prism" | "prism-replaced";

/** One finding of Prism's, as it reports them. */
export interface Violation {
  /** `["request", ...]` or `["response", ...]`, then where, e.g. `["request", "body"]`. */
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

export interface Expected {
  status: number[];
  by: "server" | "prism";
}

export interface ExchangeResult {
  proxy: ProxyMode;
  request: { method: string; url: string; body?: string };
  expected: Expected;
  status?: number;
  by?: Answerer;
  /** What the server answered, as the tap saw it (absent when Prism answered alone). */
  serverStatus?: number;
  /** How many items a list answer held: what the response validation covered. */
  items?: number;
  /** The `type` of Prism's own problem+json answer, e.g. `UNPROCESSABLE_ENTITY`. */
  prismError?: string;
  requestViolations: Violation[];
  responseViolations: Violation[];
  /** Kept when the exchange failed, to reproduce it. */
  responseBody?: string;
  error?: string;
  pass: boolean;
}

/**
 * Passes when the response has an expected status, came from the expected answerer and broke
 * nothing in the document. `serverStatus` is what the tap saw the server answer; undefined when
 * the request never reached the server.
 */
export function judgeExchange(
  proxy: ProxyMode,
  expected: Expected,
  exchange: Exchange<unknown>,
  serverStatus: number | undefined,
): ExchangeResult {
  const request = {
    method: exchange.request.method,
    url: exchange.request.url,
    ...(exchange.request.body === undefined ? {} : { body: exchange.request.body }),
  };
  // The violation lists come first here so they keep their place in the report's JSON.
  const base = { proxy, request, expected, requestViolations: [], responseViolations: [] };
  const { response } = exchange;
  if (!response) return { ...base, error: exchange.error?.message ?? "no response", pass: false };

  const prismError = prismErrorType(response.headers["content-type"], response.json);
  const { requestViolations, responseViolations } = violationsOf(response, prismError);
  const by: Answerer =
    serverStatus === undefined
      ? "prism"
      : prismError === "VIOLATIONS"
        ? "prism-replaced"
        : "server";
  const pass =
    expected.status.includes(response.status) &&
    by === expected.by &&
    responseViolations.length === 0;
  return {
    ...base,
    status: response.status,
    by,
    ...(serverStatus === undefined ? {} : { serverStatus }),
    ...(Array.isArray(response.json) ? { items: response.json.length } : {}),
    ...(prismError === undefined ? {} : { prismError }),
    requestViolations,
    responseViolations,
    ...(pass ? {} : { responseBody: response.rawBody.slice(0, 2000) }),
    pass,
  };
}

/**
 * Prism's findings: the `sl-violations` header (every finding, request ones located under
 * `request`, response ones under `response`), or, where Prism answered with its own error, that
 * answer's `validation` list (the header is cut at 8 KB; the list is not).
 */
function violationsOf(
  response: ExchangeResponse<unknown>,
  prismError: string | undefined,
): { requestViolations: Violation[]; responseViolations: Violation[] } {
  const body = response.json as { title?: unknown; validation?: unknown } | undefined;
  const listed = Array.isArray(body?.validation) ? (body.validation as Violation[]) : undefined;
  if (prismError === "UNPROCESSABLE_ENTITY" && listed) {
    // Prism's 422 locates them inside the request (`["body", ...]`): prefixed as in the header.
    const located = listed.map((violation) => ({
      ...violation,
      location: ["request", ...violation.location],
    }));
    return { requestViolations: located, responseViolations: [] };
  }
  if (prismError === "UNAUTHORIZED") {
    const message = typeof body?.title === "string" ? body.title : "UNAUTHORIZED";
    const violation = { location: ["request"], severity: "Error", code: 401, message };
    return { requestViolations: [violation], responseViolations: [] };
  }
  const header = parseViolationsHeader(response.headers["sl-violations"]);
  const inRequest = (violation: Violation) => violation.location[0] === "request";
  const responseViolations = header.filter((violation) => !inRequest(violation));
  const headerCut = responseViolations.some((violation) => violation.code === "unparsed");
  return {
    requestViolations: header.filter(inRequest),
    responseViolations:
      prismError === "VIOLATIONS" && headerCut && listed ? listed : responseViolations,
  };
}

/** The `sl-violations` header: a JSON array, or "Too many violations! <cut JSON>". */
function parseViolationsHeader(header: string | undefined): Violation[] {
  if (header === undefined || header === "") return [];
  try {
    const parsed: unknown = JSON.parse(header);
    if (Array.isArray(parsed)) return parsed as Violation[];
  } catch {
    // Not JSON: the header was cut.
  }
  const message = `the sl-violations header was cut: ${header.slice(0, 300)}…`;
  return [{ location: ["response"], severity: "Error", code: "unparsed", message }];
}

/** The `type` of Prism's own problem+json answer, past its prefix; undefined for any other. */
function prismErrorType(contentType: string | undefined, body: unknown): string | undefined {
  if (!contentType?.startsWith("application/problem+json")) return undefined;
  const type = (body as { type?: unknown } | undefined)?.type;
  return typeof type === "string" && type.startsWith(PRISM_ERROR_TYPE)
    ? type.slice(PRISM_ERROR_TYPE.length)
    : undefined;
}
