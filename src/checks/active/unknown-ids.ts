/**
 * unknown_ids_not_found: a well-formed id that does not exist gets 404 on every operation
 * that takes one (400 or 404 for an unknown id inside a body).
 */
import { Random } from "../../util/random.js";
import type { ActiveCheck } from "../context.js";

export const unknownIdsNotFound: ActiveCheck = {
  id: "unknown_ids_not_found",
  title: "A well-formed id that does not exist: 404 (400 or 404 inside a body)",
  source: "profile",
  section: "PROFILE.md Errors",
  rule:
    "`404` for: a well-formed ticket id that does not exist (details, complete, takeover, assignee, tag attach/remove); " +
    "a tag that is not attached to the ticket on DELETE; an unknown `tagId` on attach. `400` or `404` (either passes) " +
    "for a well-formed but unknown `chatId`, `assigneeId`, `userId` or `ticketingTeamId` in a body.",
  mutates: true,
  async run(context) {
    const random = new Random(context.options.seed ^ 0x5eed);
    const unknown = () => random.uuid();
    const { api, fixtures } = context;
    const user = fixtures.userIds[0] as string;
    const tag = fixtures.tagIds[0] as string;
    const ghost = unknown();
    context.expectStatus(
      await api.getTicketDetails(ghost),
      `details of unknown ticket ${ghost}`,
      404,
    );
    if (context.options.readOnly) {
      context.notes.push("read-only: only the details of an unknown ticket were asked for");
      return;
    }
    context.expectStatus(
      await api.completeTicket(ghost, { userId: user }),
      "complete an unknown ticket",
      404,
    );
    context.expectStatus(
      await api.takeoverTicket(ghost, { assigneeId: user }),
      "take over an unknown ticket",
      404,
    );
    context.expectStatus(
      await api.updateTicketAssignee(ghost, { assigneeId: user }),
      "assign an unknown ticket",
      404,
    );
    context.expectStatus(
      await api.attachTicketTag(ghost, { tagId: tag }),
      "tag an unknown ticket",
      404,
    );
    context.expectStatus(await api.removeTicketTag(ghost, tag), "untag an unknown ticket", 404);
    const row = await context.newTicket("pending");
    if (!row) return;
    context.expectStatus(
      await api.removeTicketTag(row.id, tag),
      "remove a tag that is not attached",
      404,
    );
    context.expectStatus(
      await api.attachTicketTag(row.id, { tagId: unknown() }),
      "attach an unknown tag",
      404,
    );
    context.expectStatus(
      await api.takeoverTicket(row.id, { assigneeId: unknown() }),
      "take over for an unknown user",
      400,
      404,
    );
    context.expectStatus(
      await api.updateTicketAssignee(row.id, { assigneeId: unknown() }),
      "assign an unknown user",
      400,
      404,
    );
    context.expectStatus(
      await api.completeTicket(row.id, { userId: unknown() }),
      "complete by an unknown user",
      400,
      404,
    );
    const chatId = context.chats.take();
    const create = { assigneeId: user, ticketingTeamId: null, status: "pending" as const };
    context.expectStatus(
      await api.createTicket({ ...create, chatId: unknown() }),
      "create on an unknown chat",
      400,
      404,
    );
    if (!chatId) return;
    context.expectStatus(
      await api.createTicket({ ...create, chatId, assigneeId: unknown() }),
      "create for an unknown assignee",
      400,
      404,
    );
    context.expectStatus(
      await api.createTicket({ ...create, chatId, ticketingTeamId: unknown() }),
      "create for an unknown ticketing team",
      400,
      404,
    );
  },
};
