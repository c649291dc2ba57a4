import type { Readable } from "node:stream";
import type { Dispatcher, Pool } from "undici";
import type { OperationId } from "../../contracts/types.js";
import type { Exchange, ExchangeError, ExchangeRequest, ExchangeResponse } from "./exchange.js";
import { describeFailure, oneLine } from "./network-errors.js";
import type { Redactor } from "./secrets.js";

/** Keeps a huge response from blowing memory; the contract's bodies are far smaller. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface PreparedRequest {
  operationId?: OperationId;
  method: string;
  origin: string;
  /** Path and query string, as sent. */
  path: string;
  /** As sent: the authorization header holds the real key. */
  headers: Record<string, string>;
  body?: string;
  /** What the exchange records: the key replaced by its placeholder. */
  record: ExchangeRequest;
}

export interface TransportSettings {
  pool: Pool;
  timeoutMs: number;
  redactor: Redactor;
}

type Outcome = { response: ExchangeResponse<unknown> } | { error: ExchangeError };

/** Sends one request and never rejects for a network problem: it ends in `error`. */
export async function performExchange(
  request: PreparedRequest,
  settings: TransportSettings,
): Promise<Exchange<unknown>> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const outcome = await fetchOutcome(request, settings);
  return {
    ...(request.operationId === undefined ? {} : { operationId: request.operationId }),
    request: request.record,
    ...outcome,
    timing: { startedAt, durationMs: performance.now() - started },
  };
}

async function fetchOutcome(
  request: PreparedRequest,
  settings: TransportSettings,
): Promise<Outcome> {
  // undici's headersTimeout/bodyTimeout bound idle gaps; this deadline bounds the whole call,
  // including connecting and a body that trickles in slowly.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), settings.timeoutMs);
  let status: number | undefined;
  try {
    const { method, path, headers, body } = request;
    const answer = await settings.pool.request({
      method,
      path,
      headers,
      body: body ?? null,
      signal: deadline.signal,
    });
    status = answer.statusCode;
    const { bytes, truncated } = await readCapped(answer.body);
    return { response: buildResponse(answer, bytes, truncated, settings.redactor) };
  } catch (error) {
    const context = {
      method: request.method,
      url: request.record.url,
      origin: request.origin,
      timeoutMs: settings.timeoutMs,
      timedOut: deadline.signal.aborted,
      status,
    };
    const failure = describeFailure(error, context);
    return { error: { ...failure, message: settings.redactor.redact(failure.message) } };
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(body: Readable): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early destroys the stream, so the rest is never buffered.
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      return { bytes: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES), truncated: true };
    }
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

function buildResponse(
  answer: Dispatcher.ResponseData,
  bytes: Buffer,
  truncated: boolean,
  redactor: Redactor,
): ExchangeResponse<unknown> {
  const text = bytes.toString("utf8");
  const rawBody = truncated ? redactor.redactCut(text) : redactor.redact(text);
  return {
    status: answer.statusCode,
    headers: flattenHeaders(answer.headers, redactor),
    rawBody,
    ...parseBody(rawBody, truncated),
  };
}

function flattenHeaders(
  headers: Dispatcher.ResponseData["headers"],
  redactor: Redactor,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name] = redactor.redact(Array.isArray(value) ? value.join(", ") : value);
  }
  return flat;
}

function parseBody(
  rawBody: string,
  truncated: boolean,
): { json: unknown } | { parseError: string } {
  if (truncated) {
    return {
      parseError: `body larger than ${MAX_BODY_BYTES} bytes: only the first ${MAX_BODY_BYTES} kept, not parsed`,
    };
  }
  if (rawBody.trim() === "") return { parseError: "empty body, not JSON" };
  try {
    return { json: JSON.parse(rawBody) };
  } catch (error) {
    return { parseError: `body is not JSON: ${oneLine((error as Error).message)}` };
  }
}
