import { passiveCheck } from "./passive-check.js";

export const detailsConsistency = passiveCheck({
  id: "details_consistency",
  title: "Ticket details are consistent with themselves",
  source: "profile",
  section: "PROFILE.md The two ticket shapes",
  rule:
    "assigneeName/assigneeEmail null iff assigneeId null; ticketingTeamName null iff ticketingTeamId null, " +
    "ticketingTeamPicture null when it is; channelName and channelType null iff channelId null; ownerEntity " +
    "user has an ownerEmail, external_user an ownerIdentifier; responderEntity user has no responder version; " +
    "pendingChatMessages >= 0.",
  judge(ctx, exchange) {
    const operation = exchange.operationId;
    if (operation !== "getTicketDetails" && operation !== "listTicketDetails") return;
    for (const { ticket, at } of exchange.tickets) {
      for (const problem of consistencyProblems(ticket)) {
        ctx.fail(exchange, `${operation} ${at || "(body)"}: ${problem}`);
      }
    }
  },
});

/** PROFILE.md "The two ticket shapes": the details consistency rules, each broken one a line. */
export function consistencyProblems(details: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const isNull = (field: string) => details[field] === null || details[field] === undefined;
  const iff = (a: string, b: string) => {
    if (isNull(a) !== isNull(b))
      problems.push(
        `${b} is ${isNull(b) ? "null" : "set"} but ${a} is ${isNull(a) ? "null" : "set"}`,
      );
  };
  iff("assigneeId", "assigneeName");
  iff("assigneeId", "assigneeEmail");
  iff("ticketingTeamId", "ticketingTeamName");
  if (isNull("ticketingTeamId") && !isNull("ticketingTeamPicture")) {
    problems.push("ticketingTeamPicture is set but ticketingTeamId is null");
  }
  iff("channelId", "channelName");
  iff("channelId", "channelType");
  if (details.ownerEntity === "user" && isNull("ownerEmail"))
    problems.push("ownerEntity is user but ownerEmail is null");
  if (details.ownerEntity === "external_user" && isNull("ownerIdentifier")) {
    problems.push("ownerEntity is external_user but ownerIdentifier is null");
  }
  if (
    details.responderEntity === "user" &&
    (!isNull("responderVersionId") || !isNull("responderVersionNumber"))
  ) {
    problems.push("responderEntity is user but a responder version is set");
  }
  const pending = details.pendingChatMessages;
  if (typeof pending === "number" && (!Number.isInteger(pending) || pending < 0)) {
    problems.push(`pendingChatMessages is ${pending}, not an integer >= 0`);
  }
  return problems;
}
