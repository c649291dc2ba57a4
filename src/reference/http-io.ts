/** Reading requests and writing JSON responses, with the limits a server needs. */
import type { IncomingMessage, ServerResponse } from "node:http";

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

export function send(response: ServerResponse, answer: ApiResponse, closeConnection = false): void {
  // Encoded once: the length and the bytes sent come from the same buffer.
  const bytes = Buffer.from(answer.rawBody ?? JSON.stringify(answer.body));
  const headers: Record<string, string | number> = {
    "content-type": "application/json; charset=utf-8",
    "content-length": bytes.length,
    ...answer.headers,
  };
  if (closeConnection) headers.connection = "close";
  response.writeHead(answer.status, headers);
  response.end(bytes);
}
