/**
 * The one shape of a passive check (Schemathesis: one function per check, one signature):
 * its info, and `judge(ctx, exchange)`, called on every exchange of the run while the
 * check is enabled. A check that also judges the run as a whole (values never seen) has
 * `finish(ctx, run)`, called once after the last request.
 */

import type { CheckInfo } from "../model.js";
import type { EnumObservation } from "../results.js";
import type { JudgedExchange } from "./judged-exchange.js";

export interface FindingValues {
  expected?: string;
  actual?: string;
}

/** All a passive check may do: report what it found, about an exchange or about the run. */
export interface PassiveContext {
  fail(exchange: JudgedExchange, message: string, values?: FindingValues): void;
  warn(exchange: JudgedExchange | undefined, message: string, values?: FindingValues): void;
}

/** What the run as a whole observed, for `finish`. */
export interface RunObservations {
  enums: EnumObservation[];
}

export interface PassiveCheck extends CheckInfo {
  passive: true;
  judge(ctx: PassiveContext, exchange: JudgedExchange): void;
  finish?(ctx: PassiveContext, run: RunObservations): void;
}

export function passiveCheck(check: Omit<PassiveCheck, "mutates" | "passive">): PassiveCheck {
  return { ...check, mutates: false, passive: true };
}
