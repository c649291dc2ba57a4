/**
 * lifecycle_rules (each rule once, scripted) and lifecycle_model (random sequences of
 * create, takeover, assign, complete, tag, untag and list, fast-check `fc.commands`): both
 * against the in-memory model of PROFILE.md's lifecycle (model.ts). After every step the
 * target must agree with the model: status, assignee, timestamps set and ordered,
 * `updatedAt` moving forward, conflicts answered 409, the row agreeing with the details,
 * and the change visible at once by id and in list filters.
 */
import fc from "fast-check";
import type { ActiveCheck, CheckContext } from "../../context.js";
import { checkProperty, PropertyFailure, replayOf, reportFailure } from "../../property.js";
import { commands } from "./commands.js";
import type { Command, Model, Real } from "./model.js";
import { script } from "./script.js";

const LIFECYCLE_RULE =
  "States: `pending` -> `ongoing` -> `completed`; `completed` is final (409). One non-completed ticket per chat (409). " +
  "Takeover sets the assignee and `ongoing`, `ongoingAt` = now if null; assignee keeps the status; complete sets " +
  "`completedAt` = now and keeps `ongoingAt`. Every successful mutation sets `updatedAt` = now. Tag attach twice: 409; " +
  "remove not attached: 404. Read-your-writes. The row and the details agree on every field they share.";

function withReplay(replayPath: string | undefined): { replayPath?: string } {
  return replayPath ? { replayPath } : {};
}

/** Ends every ticket a run made: tags removed, tickets completed (so their chats are free again). */
async function teardown(model: Model, context: Real): Promise<void> {
  const userId = context.fixtures.userIds[0] as string;
  for (const ticket of model.tickets) {
    for (const tagId of ticket.tags) await context.api.removeTicketTag(ticket.id, tagId);
    if (ticket.status !== "completed") await context.api.completeTicket(ticket.id, { userId });
  }
}

/** Runs a sequence of steps against a fresh model, and ends what it created. */
async function runSequence(context: CheckContext, sequence: Iterable<Command>): Promise<void> {
  const model: Model = { tickets: [] };
  try {
    await fc.asyncModelRun(() => ({ model, real: context }), sequence);
  } finally {
    await teardown(model, context);
  }
}

export const lifecycleRules: ActiveCheck = {
  id: "lifecycle_rules",
  title: "Each lifecycle rule, once, in a scripted sequence checked against the model",
  source: "profile",
  section: "PROFILE.md Lifecycle; The two ticket shapes",
  rule: LIFECYCLE_RULE,
  mutates: true,
  writesOnly: true,
  async run(context) {
    try {
      await runSequence(context, script());
    } catch (error) {
      if (!(error instanceof PropertyFailure)) throw error;
      reportFailure(context, error);
    }
  },
};

export const lifecycleModel: ActiveCheck = {
  id: "lifecycle_model",
  title: "Random sequences of writes agree with a model of the lifecycle, step by step",
  source: "profile",
  section: "PROFILE.md Lifecycle; The two ticket shapes",
  rule: LIFECYCLE_RULE,
  mutates: true,
  writesOnly: true,
  async run(context) {
    await checkProperty(
      context,
      fc.asyncProperty(
        fc.commands(commands(), {
          maxCommands: 16,
          size: "max",
          ...withReplay(replayOf(context).commands),
        }),
        (sequence) => runSequence(context, sequence),
      ),
    );
  },
};
