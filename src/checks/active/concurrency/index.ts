/**
 * lifecycle_concurrency: PROFILE.md's lifecycle rules under requests sent at the same
 * moment. A property (fast-check) generates small groups (groups.ts: two to four creates on
 * one free chat, or takeovers, assignee changes, completes, tag attaches and removals on one
 * new ticket), sends each at once, one connection per request (tries.ts), and holds every
 * answer and the state read afterwards to at least one serial order of the group
 * (serial.ts). A race shows only if the requests overlap at the target, and only on some
 * interleavings: each group is tried several times, started in one tick or 1 ms apart, in
 * its order and in reverse; how much the requests overlapped is measured (overlap.ts) and
 * goes into the check's result. A failing group is shrunk to the fewest requests that still
 * fail (each smaller group tried more often, for a race must show again to count), and its
 * replay tries it again, saying so when the race does not show: timing cannot be replayed.
 */
import fc from "fast-check";
import type { ActiveCheck, CheckContext } from "../../context.js";
import { checkProperty, PropertyFailure, replayOf } from "../../property.js";
import { describeGroup, EXAMPLES, type Group, groups, MAX_GROUP } from "./groups.js";
import { OverlapTally } from "./overlap.js";
import { PATTERNS, runTry } from "./tries.js";

/** Tries of each group in a run: each way of starting it once. */
export const TRIES = PATTERNS.length;
/** Tries of each smaller group fast-check tries while it shrinks a failing one. */
export const SHRINK_TRIES = 2 * PATTERNS.length;
/** Tries of the group a replay replays: each way of starting it five times. */
export const REPLAY_TRIES = 5 * PATTERNS.length;

const RULE =
  "A chat has at most one non-completed ticket: creating another for the same chat -> 409. " +
  "Tag attach: attaching a tag already attached -> 409; tag remove: not attached -> 404. " +
  "`completed` is final (takeover, assignee and complete on `completed` -> 409). " +
  "Every successful mutation sets `updatedAt` = now; `updatedAt` never goes back. " +
  "Read-your-writes: a GET after a successful mutation shows it. " +
  "These rules hold for requests sent at the same moment too: every answer, and the state read after all of them, are those of at least one serial order of the same requests.";

export const lifecycleConcurrency: ActiveCheck = {
  id: "lifecycle_concurrency",
  title:
    "Requests sent at the same moment on one chat or ticket agree with some serial order of them",
  source: "profile",
  section: "PROFILE.md Lifecycle",
  rule: RULE,
  mutates: true,
  writesOnly: true,
  async run(context) {
    const tally = new OverlapTally();
    const replaying = replayOf(context).path !== undefined;
    let failed = false;
    let last: Group | undefined;
    try {
      await warmUp(context);
      await checkProperty(
        context,
        fc.asyncProperty(groups(), async (group) => {
          last = group;
          tally.groups++;
          const of = replaying ? REPLAY_TRIES : failed ? SHRINK_TRIES : TRIES;
          for (let number = 1; number <= of; number++) {
            const pattern = PATTERNS[(number - 1) % PATTERNS.length] as (typeof PATTERNS)[number];
            try {
              await runTry(context, { group, number, of, pattern, tally });
            } catch (error) {
              if (error instanceof PropertyFailure) {
                failed = true;
                tally.races++;
                tally.triesToShow.push(number);
              }
              throw error;
            }
          }
        }),
        EXAMPLES.map((group): [Group] => [group]),
      );
    } finally {
      context.measured = tally.measured();
    }
    if (tally.tries > 0 && tally.overlapped === 0) {
      context.warn(
        `tested nothing: in none of its ${tally.tries} tries were the requests of a group in flight at the same time (each was answered before the next was sent), so no race could show`,
      );
    }
    if (replaying && !failed && last) {
      context.warn(
        `replay not reproduced: the group (${describeGroup(last)}) was tried ${REPLAY_TRIES} times (each way of starting it ${REPLAY_TRIES / PATTERNS.length} times) and broke no rule. Timing cannot be replayed exactly: this is not a pass, the race may still be there; replay again, or run the check`,
      );
    }
  },
};

/** Opens a connection per request of the largest group, so that no group waits for one. */
async function warmUp(context: CheckContext): Promise<void> {
  await context.together(
    Array.from(
      { length: MAX_GROUP },
      () => (api) => api.listTicketDetails({ status: "pending", pageSize: 1 }),
    ),
  );
}
