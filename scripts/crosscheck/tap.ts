/**
 * The tap: a pass-through between the Prism proxies and the server. It counts the requests
 * Prism forwarded, so whether the server or Prism answered an exchange is observed, not guessed,
 * and it keeps the server's last answer as it was before Prism replaced it.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/** How much of an answer's body the tap keeps. */
const BODY_LIMIT = 1024 * 1024;

export interface Tap {
  url: string;
  /** The server: set once it has started (Prism starts meanwhile, and calls no one before). */
  target?: URL;
  /** How many requests reached the tap (and, unless `target` is unset, the server). */
  forwarded: number;
  lastStatus?: number;
  /** The last answer's body as the server sent it (the first MiB), before Prism saw it. */
  lastBody: string;
  close(): Promise<void>;
}

/** Listens on a free port of 127.0.0.1; answers 502 while `target` is unset or unreachable. */
export async function startTap(requestTimeoutMs: number): Promise<Tap> {
  const tap: Tap = { url: "", forwarded: 0, lastBody: "", close: async () => {} };
  const server = createServer((incoming, outgoing) =>
    relay(tap, incoming, outgoing, requestTimeoutMs),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  tap.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tap.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return tap;
}

function relay(
  tap: Tap,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  requestTimeoutMs: number,
): void {
  tap.forwarded += 1;
  tap.lastStatus = undefined;
  tap.lastBody = "";
  const { target } = tap;
  if (target === undefined) {
    outgoing.writeHead(502).end();
    return;
  }
  const toServer = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: incoming.method,
      path: incoming.url,
      headers: incoming.headers,
      timeout: requestTimeoutMs,
    },
    (answer) => {
      tap.lastStatus = answer.statusCode;
      answer.setEncoding("utf8");
      answer.on("data", (chunk: string) => {
        if (tap.lastBody.length < BODY_LIMIT) tap.lastBody += chunk;
      });
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  toServer.on("timeout", () => toServer.destroy(new Error("server timed out")));
  toServer.on("error", () => {
    if (!outgoing.headersSent) outgoing.writeHead(502);
    outgoing.end();
  });
  incoming.pipe(toServer);
}
