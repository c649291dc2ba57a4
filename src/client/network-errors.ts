import type { ExchangeError, ExchangeErrorKind } from "./exchange.js";

export interface FailureContext {
  method: string;
  url: string;
  origin: string;
  timeoutMs: number;
  /** Our own deadline fired. */
  timedOut: boolean;
  /** Set once the status line and headers arrived. */
  status?: number;
}

interface Diagnosis {
  kind: ExchangeErrorKind;
  reason: string;
}

const TIMEOUT_CODES = new Set([
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Turns whatever undici or the socket threw into one line naming the request. */
export function describeFailure(error: unknown, context: FailureContext): ExchangeError {
  const { kind, reason } = diagnose(error, context);
  return { kind, message: `${context.method} ${context.url}: ${reason}` };
}

function diagnose(error: unknown, context: FailureContext): Diagnosis {
  const code = errorCode(error);
  if (context.timedOut || TIMEOUT_CODES.has(code)) {
    return { kind: "timeout", reason: timeoutReason(context) };
  }
  return (
    connectionDiagnosis(code, context.origin) ??
    protocolDiagnosis(code, error) ?? {
      kind: "connection",
      reason: `${errorMessage(error)}${code ? ` (${code})` : ""}`,
    }
  );
}

function timeoutReason({ timeoutMs, status }: FailureContext): string {
  if (status === undefined) return `no response within ${timeoutMs} ms (request timeout)`;
  return `response body not complete within ${timeoutMs} ms (request timeout; status ${status} and headers had arrived)`;
}

function connectionDiagnosis(code: string, origin: string): Diagnosis | undefined {
  const reasons: Record<string, string> = {
    ECONNREFUSED: `connection refused (is the server running at ${origin}?)`,
    ECONNRESET: "connection reset by the server",
    EPIPE: "connection closed by the server while the request was being sent",
    UND_ERR_SOCKET: "connection closed by the server before the response was complete",
    ENOTFOUND: `host not found (DNS lookup failed for ${origin})`,
    EAI_AGAIN: `host not found (DNS lookup failed for ${origin})`,
    EHOSTUNREACH: `host unreachable (${origin})`,
    ENETUNREACH: `network unreachable (${origin})`,
    UND_ERR_CLOSED: "the client is closed",
    UND_ERR_DESTROYED: "the client is closed",
  };
  const reason = reasons[code];
  return reason === undefined ? undefined : { kind: "connection", reason };
}

function protocolDiagnosis(code: string, error: unknown): Diagnosis | undefined {
  const message = errorMessage(error);
  // llhttp errors carry an HPE_ code only for some failures; the name is always there.
  if (code.startsWith("HPE_") || field(error, "name") === "HTTPParserError") {
    return { kind: "protocol", reason: `invalid HTTP response: ${message}` };
  }
  const reasons: Record<string, string> = {
    UND_ERR_RES_CONTENT_LENGTH_MISMATCH: "response body length does not match its content-length",
    UND_ERR_HEADERS_OVERFLOW: "response headers too large",
    UND_ERR_INVALID_ARG: `request not sent, invalid: ${message}`,
    UND_ERR_NOT_SUPPORTED: `request not sent, not supported: ${message}`,
  };
  const reason = reasons[code];
  return reason === undefined ? undefined : { kind: "protocol", reason };
}

/** The code of the error, of its cause, or of the first attempt of an AggregateError. */
function errorCode(error: unknown): string {
  const candidates = [error, field(error, "cause"), firstOf(field(error, "errors"))];
  for (const candidate of candidates) {
    const code = field(candidate, "code");
    if (typeof code === "string") return code;
  }
  return "";
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return oneLine(message) || "unknown error";
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null ? Reflect.get(value, name) : undefined;
}

function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : undefined;
}
