/**
 * Starting what the cases run against: the reference server, the tap in front of it, the two
 * Prism proxies in front of the tap, and a client for each proxy.
 */
import { createTicketsClient, type TicketsClient } from "../../src/client/index.js";
import { type ReferenceServer, startReferenceServer } from "../../src/reference/index.js";
import type { Lifetime } from "./lifetime.js";
import { type PrismInstall, type PrismProxy, type ProxyMode, startPrism } from "./prism.js";
import { startTap, type Tap } from "./tap.js";

export const SEED = 4242;
export const TICKETS = 2000;

const API_KEY = "crosscheck-key";
/** createTicketsClient reads the key from this environment variable. */
const KEY_ENV = "CROSSCHECK_API_KEY";
const REQUEST_TIMEOUT_MS = 10_000;

export interface Rig {
  server: ReferenceServer;
  tap: Tap;
  proxies: Record<ProxyMode, PrismProxy>;
}

export type Clients = Record<ProxyMode, TicketsClient>;

/** Starts everything side by side, each stopped by lifetime.end() once it has started. */
export async function startRig(
  prism: PrismInstall,
  document: string,
  faults: string[],
  lifetime: Lifetime,
): Promise<Rig> {
  const tap = await startTap(REQUEST_TIMEOUT_MS);
  lifetime.onEnd(() => tap.close());
  const starting = <T>(step: Promise<T>, stop: (running: T) => Promise<void>) => {
    step.then((running) => lifetime.onEnd(() => stop(running))).catch(() => {});
    return step;
  };
  const stopPrism = (proxy: PrismProxy) => proxy.stop();
  const [errors, report, server] = await lifetime.bounded(
    Promise.all([
      starting(startPrism(prism, "errors", document, tap.url), stopPrism),
      starting(startPrism(prism, "report", document, tap.url), stopPrism),
      starting(
        startReferenceServer({ seed: SEED, tickets: TICKETS, faults, apiKey: API_KEY }),
        (running) => running.close(),
      ),
    ]),
  );
  // Prism calls no one until a case is sent: the tap learns where the server is only now.
  tap.target = new URL(server.url);
  return { server, tap, proxies: { errors, report } };
}

/** A client for each proxy, with the server's key; closed by lifetime.end(). */
export function connectClients(rig: Rig, lifetime: Lifetime): Clients {
  process.env[KEY_ENV] = rig.server.apiKey;
  const client = (mode: ProxyMode) =>
    createTicketsClient({
      baseUrl: rig.proxies[mode].url,
      apiKeyEnv: KEY_ENV,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
  const clients = { errors: client("errors"), report: client("report") };
  lifetime.onEnd(async () => {
    await clients.errors.close();
    await clients.report.close();
  });
  return clients;
}
