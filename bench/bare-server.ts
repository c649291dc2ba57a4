/**
 * The ceiling of bench:reference: a bare node:http server answering every request with
 * the same 2 KB JSON body (an array of small objects), built once; `node bare-server.js
 * BYTES` answers a body of that size instead. Prints the same
 * `listening on` line as the reference server and stops on SIGTERM/SIGINT.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** The body's size: 2 KB, or the first argument (to compare with a page of the same size). */
const TARGET_BYTES = Number(process.argv[2] ?? 2_048);

function fixedBody(): Buffer {
  const items: { id: number; status: string; summary: string }[] = [];
  const text = () => JSON.stringify(items);
  while (Buffer.byteLength(text()) < TARGET_BYTES) {
    items.push({ id: items.length, status: "pending", summary: "A fixed ticket summary." });
  }
  return Buffer.from(text());
}

const body = fixedBody();
const server = createServer({ keepAliveTimeout: 10_000 }, (_request, response) => {
  response.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": body.length,
  });
  response.end(body);
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`listening on http://127.0.0.1:${port}`);
});
const stop = () => {
  server.close();
  server.closeAllConnections();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
