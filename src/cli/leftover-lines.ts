/**
 * What a run left on the target, on the console: one line each, with the curl that cleans
 * it, up to a screenful; the rest are in the report named (a target that broke partway can
 * leave dozens, and a wall of curls hides the verdict).
 */
import type { Leftover } from "../checks/results.js";
import { leftoverLine } from "../report/leftovers.js";

const SHOWN = 15;

export function printLeftovers(leftovers: Leftover[], report: string): void {
  for (const leftover of leftovers.slice(0, SHOWN)) {
    console.log(`left behind: ${leftoverLine(leftover)}`);
  }
  if (leftovers.length > SHOWN) {
    console.log(`left behind: ${leftovers.length - SHOWN} more, each with its curl, in ${report}`);
  }
}
