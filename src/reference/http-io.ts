/** Reading requests and writing JSON responses, with the limits a server needs. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";

/** Bodies above this are refused with 413 before they are read whole. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface ApiResponse {
  status: number;
  body: unknown;
  /** Extra response headers (the fault catalog changes the content type with this). */
  headers?: Record<string, string>;
  /** A body sent as is, not as JSON. */
  rawBody?: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function errorResponse(status: number, message: string): ApiResponse {
  return { status, body: { message } };
}

/** The request body as text; 413 as soon as it is known to exceed the limit. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(): HttpError {
  return new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
}

/** How an answer travels: the other sides of the choices HTTP leaves a server (choices.ts). */
export interface Transport {
  /** `connection: close` and the connection closed after the answer (RFC 9112 9.6). */
  close?: boolean;
  /** No content-length: the body in chunks (RFC 9112 7.1). */
  chunked?: boolean;
  /** The body gzip-coded, unasked (RFC 9110 12.5.3: no Accept-Encoding, any coding is acceptable). */
  gzip?: boolean;
}

export function send(
  response: ServerResponse,
  answer: ApiResponse,
  transport: Transport = {},
): void {
  // Encoded once: the length and the bytes sent come from the same buffer.
  const text = Buffer.from(answer.rawBody ?? JSON.stringify(answer.body));
  const bytes = transport.gzip ? gzipSync(text) : text;
  const headers: Record<string, string | number> = {
    "content-type": "application/json; charset=utf-8",
    ...(transport.chunked ? {} : { "content-length": bytes.length }),
    ...(transport.gzip ? { "content-encoding": "gzip" } : {}),
    ...answer.headers,
  };
  if (transport.close) headers.connection = "close";
  response.writeHead(answer.status, headers);
  if (!transport.chunked) return void response.end(bytes);
  // Two chunks at least, so that a client reads a body in pieces.
  const half = Math.ceil(bytes.length / 2);
  response.write(bytes.subarray(0, half));
  response.end(bytes.subarray(half));
}
