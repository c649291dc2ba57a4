import type { Readable } from "node:stream";
import { brotliDecompressSync, gunzipSync, inflateSync, type ZlibOptions } from "node:zlib";
import type { Dispatcher, Pool } from "undici";
import type { OperationId } from "../../contracts/types.js";
import type { Redactor } from "../util/redaction.js";
import type { Exchange, ExchangeError, ExchangeRequest, ExchangeResponse } from "./exchange.js";
import { describeFailure, oneLine } from "./network-errors.js";

/**
 * The most of a body the client keeps, after decompression. The largest answer the contract
 * allows is a list page of 100 details, about 150 KB; 1 MiB leaves room for a verbose server
 * and keeps a 50 MB answer, an endless body or a gzip bomb from filling memory: each ends,
 * as soon as it passes the cap, as an answer whose body is "larger than 1 MiB", a finding.
 */
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
  /** Ends every request in flight at once (Ctrl-C): they end in an `aborted` error. */
  signal?: AbortSignal;
}

type Outcome = { response: ExchangeResponse<unknown> } | { error: ExchangeError };

/** Sends one request and never rejects for a network problem: it ends in `error`. */
export async function performExchange(
  request: PreparedRequest,
  settings: TransportSettings,
): Promise<Exchange<unknown>> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const outcome = refusal(request) ?? (await fetchOutcome(request, settings));
  return {
    ...(request.operationId === undefined ? {} : { operationId: request.operationId }),
    request: request.record,
    ...outcome,
    timing: { startedAt, durationMs: performance.now() - started, sentAtMs: started },
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
  const signal = settings.signal
    ? AbortSignal.any([deadline.signal, settings.signal])
    : deadline.signal;
  let status: number | undefined;
  try {
    if (settings.signal?.aborted) throw new Error("aborted");
    const { method, path, headers, body } = request;
    const answer = await settings.pool.request({
      method,
      path,
      headers,
      body: body ?? null,
      signal,
    });
    status = answer.statusCode;
    const read = await readCapped(answer.body);
    const decoded = decode(read, answer.headers["content-encoding"]);
    return { response: buildResponse(answer, decoded, settings.redactor) };
  } catch (error) {
    if (settings.signal?.aborted) {
      const message = `${request.method} ${request.record.url}: interrupted before the answer came`;
      return { error: { kind: "aborted", message } };
    }
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

/**
 * A request that would carry the key outside the authorization header is not sent: a value
 * taken from an answer (a status, an id) can hold the key a target echoed.
 */
function refusal(request: PreparedRequest): Outcome | undefined {
  // The record is the request with the key redacted: wherever it differs from what would be
  // sent, but in the authorization header, the key rides along.
  const { record } = request;
  const { authorization: _, ...others } = request.headers;
  const differs =
    record.url !== `${request.origin}${request.path}` ||
    record.body !== request.body ||
    Object.entries(others).some(([name, value]) => record.headers[name] !== value);
  if (!differs) return undefined;
  const message = `${request.method} ${request.record.url}: not sent: it would carry the API key outside the authorization header (a value taken from an answer that echoed the key?)`;
  return { error: { kind: "refused", message } };
}

interface Body {
  bytes: Buffer;
  truncated: boolean;
  /** Set when the body could not be decoded: why. */
  problem?: string;
}

async function readCapped(body: Readable): Promise<Body> {
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

const DECODERS: Record<string, (bytes: Buffer, options: ZlibOptions) => Buffer> = {
  gzip: gunzipSync,
  "x-gzip": gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/**
 * Undoes a content coding the client knows (a server may use one unasked: RFC 9110 12.5.3),
 * never past MAX_BODY_BYTES of output, so that a small bomb cannot fill memory.
 */
function decode(body: Body, encoding: string | string[] | undefined): Body {
  const coding = String(encoding ?? "")
    .trim()
    .toLowerCase();
  const decoder = DECODERS[coding];
  if (!decoder || coding === "identity") return body;
  if (body.truncated) return { ...body, problem: `${coding} body over ${MAX_BODY_BYTES} bytes` };
  try {
    return { bytes: decoder(body.bytes, { maxOutputLength: MAX_BODY_BYTES }), truncated: false };
  } catch (error) {
    const tooLarge = (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
    const problem = tooLarge
      ? `${coding} body expands past ${MAX_BODY_BYTES} bytes (a decompression bomb?): not decoded`
      : `body is not valid ${coding}: ${oneLine((error as Error).message)}`;
    return { bytes: Buffer.alloc(0), truncated: false, problem };
  }
}

function buildResponse(
  answer: Dispatcher.ResponseData,
  body: Body,
  redactor: Redactor,
): ExchangeResponse<unknown> {
  const text = body.bytes.toString("utf8");
  const rawBody = body.truncated ? redactor.redactCut(text) : redactor.redact(text);
  return {
    status: answer.statusCode,
    headers: flattenHeaders(answer.headers, redactor),
    rawBody,
    ...(body.problem ? { parseError: body.problem } : parseBody(rawBody, body.truncated)),
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
