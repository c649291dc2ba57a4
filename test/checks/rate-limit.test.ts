/**
 * A target that rate-limits: 429 with Retry-After on some requests. The harness waits as
 * told and sends the request again; the run passes, and the retried 429s are not findings.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runConformance } from "../../src/checks/conformance.js";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { type ReferenceServer, startReferenceServer } from "../../src/reference/index.js";

let reference: ReferenceServer;
let proxy: Server;
let proxyUrl: string;
let limited = 0;
let forwarded = 0;

beforeAll(async () => {
  reference = await startReferenceServer({ seed: 2, tickets: 1500, apiKey: "rate-key" });
  const upstream = new Pool(reference.url, { connections: 2 });
  // Every 7th request is refused once with 429, Retry-After: 0.
  proxy = createServer(async (request, response) => {
    if ((limited + forwarded) % 7 === 6) {
      limited++;
      response.writeHead(429, { "content-type": "application/json", "retry-after": "0" });
      response.end(JSON.stringify({ message: "slow down" }));
      return;
    }
    forwarded++;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const answer = await upstream.request({
      method: request.method as "GET",
      path: request.url ?? "/",
      headers: request.headers as Record<string, string>,
      body: chunks.length > 0 ? Buffer.concat(chunks) : null,
    });
    response.writeHead(answer.statusCode, answer.headers as Record<string, string>);
    response.end(Buffer.from(await answer.body.arrayBuffer()));
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await reference.close();
});

describe("a target that answers 429 with Retry-After", () => {
  it("is waited for and asked again: the run passes", async () => {
    process.env.RATE_TEST_KEY = "rate-key";
    const report = await runConformance({
      config: { ...DEFAULT_CONFIG, apiKeyEnv: "RATE_TEST_KEY", runs: 5 },
      baseUrl: proxyUrl,
      seed: 4,
    });
    expect(limited).toBeGreaterThan(20);
    expect(
      report.checks
        .filter((check) => check.verdict === "fail")
        .map((check) => check.failures[0]?.message),
    ).toEqual([]);
    expect(report.verdict).toBe("pass");
  });
});
