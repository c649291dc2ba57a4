/**
 * The machinery of the concurrency faults (faults.ts, "concurrency"): a test and its write
 * that are not atomic. The reference server answers on one event loop, so an operation
 * without an await in it is atomic, as the clean server's all are; a fault puts an await
 * between the test and the write, and the requests that arrive in that window are handled
 * between them, as on a server with threads and a database without the lock. A request
 * sent after the previous one's answer never lands inside the window: only concurrent
 * requests show these bugs.
 */
import { setTimeout as sleep } from "node:timers/promises";

/** The window between a test and its write (a second query, a round trip to the database). */
export const RACE_WINDOW_MS = 3;

/**
 * updated-at-arrival-stamp: how long a write waits between taking `now`, as its request
 * arrives, and writing. A complete writes the ticket's history first, a takeover notifies
 * the responder; the other writes are made at once.
 */
export const STAMP_LAG_MS: Readonly<Record<string, number>> = {
  completeTicket: 4,
  takeoverTicket: 2,
};

/** `write`, `ms` later: what arrives meanwhile is handled first. */
export async function afterWindow<T>(ms: number, write: () => T | Promise<T>): Promise<T> {
  await sleep(ms);
  return write();
}
