/**
 * One request before anything else, so that a wrong URL or key is one clear line before
 * a run starts, not a wall of failures: is the target there, is it the Tickets API, does it
 * take the key? A blip is asked again, a 429 after its Retry-After (cut to the cap).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Exchange, TicketsClient } from "../client/index.js";
import { UserError } from "../util/exit-codes.js";
import { RunStopped } from "../util/run-stopped.js";

export interface ProbeSettings {
  baseUrl: string;
  keyName: string;
  /** The longest wait a Retry-After gets. */
  maxWaitMs: number;
  /** Ends the probe's waits at once. */
  signal?: AbortSignal;
  /** Hears, in one line, a wait cut to the cap. */
  onNotice?: (line: string) => void;
}

const TRIES = 3;
const BLIP_WAIT_MS = 500;

export async function probe(client: TicketsClient, settings: ProbeSettings): Promise<void> {
  const exchange = await answerOf(client, settings);
  const { baseUrl, keyName } = settings;
  if (exchange.error?.kind === "aborted") throw RunStopped.interrupted("interrupt");
  if (exchange.error) {
    throw RunStopped.unreachable(`target ${baseUrl} did not answer: ${exchange.error.message}`);
  }
  const status = exchange.response?.status;
  if (status === 429) throw RunStopped.rateLimited(TRIES);
  if (status !== undefined && status >= 300 && status < 400) throw redirected(exchange, baseUrl);
  if (status === 404) {
    throw new UserError(
      `target ${baseUrl} answered 404 to GET /api/v1/tickets/details: is the base URL right (it is the part before /api/v1)?`,
    );
  }
  if (status === 401) {
    throw new UserError(
      `target ${baseUrl} refused the API key in ${keyName} (401): check the key and the config's "authScheme"`,
    );
  }
}

async function answerOf(
  client: TicketsClient,
  settings: ProbeSettings,
): Promise<Exchange<unknown>> {
  for (let attempt = 1; ; attempt++) {
    const exchange = await client.listTicketDetails({ status: "pending", pageSize: 1 });
    const lost = exchange.error && exchange.error.kind !== "aborted";
    const limited = exchange.response?.status === 429;
    if (attempt >= TRIES || !(lost || limited)) return exchange;
    const capped = limited ? cappedRetryAfter(exchange, settings.maxWaitMs) : undefined;
    if (capped?.notice && attempt === 1) settings.onNotice?.(capped.notice);
    const wait = capped?.waitMs ?? Math.min(BLIP_WAIT_MS, settings.maxWaitMs);
    await sleep(wait, undefined, { signal: settings.signal }).catch(() => undefined);
    if (settings.signal?.aborted) throw RunStopped.interrupted("interrupt");
  }
}

/** Redirects are not followed: the key would go wherever the target points. */
function redirected(exchange: Exchange<unknown>, baseUrl: string): UserError {
  const location = exchange.response?.headers.location ?? "(no location)";
  return new UserError(
    `target ${baseUrl} answered ${exchange.response?.status} (a redirect to ${location}) to GET /api/v1/tickets/details: the harness does not follow redirects, so that the key goes only where you point it; give the final address as the base URL`,
  );
}

/**
 * A 429's Retry-After cut to the cap (`--max-wait`), and, when the cap cut it, the one line
 * that says so.
 */
export function cappedRetryAfter(
  exchange: Exchange<unknown>,
  maxWaitMs: number,
): { waitMs: number; notice?: string } {
  const asked = retryAfterMs(exchange.response?.headers["retry-after"]);
  if (asked <= maxWaitMs) return { waitMs: asked };
  const { method, url } = exchange.request;
  return {
    waitMs: maxWaitMs,
    notice: `the target asked to wait ${Math.round(asked / 1000)} s (429 Retry-After on ${method} ${new URL(url).pathname}); waiting ${maxWaitMs / 1000} s, the cap (--max-wait), before asking again`,
  };
}

/** Retry-After in delay-seconds or as an HTTP date (RFC 9110 10.2.3); 1 s when absent. */
function retryAfterMs(header: string | undefined): number {
  const value = header?.trim() ?? "";
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 1000;
}
