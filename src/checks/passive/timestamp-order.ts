import { isDateTime } from "../../contract/formats.js";
import { compareTimes } from "../times.js";
import { passiveCheck } from "./passive-check.js";

export const timestampOrder = passiveCheck({
  id: "timestamp_order",
  title: "Timestamps are in lifecycle order",
  source: "profile",
  section: "PROFILE.md Lifecycle",
  rule: "Always `createdAt <= ongoingAt <= completedAt` where set, and `createdAt <= updatedAt`.",
  judge(ctx, exchange) {
    for (const { ticket, at } of exchange.tickets) {
      for (const problem of timestampProblems(ticket)) {
        ctx.fail(exchange, `${exchange.operationId} ${at || "(body)"}: ${problem}`);
      }
    }
  },
});

/** PROFILE.md "Lifecycle": createdAt <= ongoingAt <= completedAt where set, createdAt <= updatedAt. */
export function timestampProblems(ticket: Record<string, unknown>): string[] {
  const valid = (field: string) =>
    typeof ticket[field] === "string" && isDateTime(ticket[field] as string);
  const problems: string[] = [];
  const order = ["createdAt", "ongoingAt", "completedAt"].filter(valid);
  for (let i = 1; i < order.length; i++) {
    const [before, after] = [order[i - 1] as string, order[i] as string];
    if (compareTimes(ticket[before] as string, ticket[after] as string) > 0) {
      problems.push(`${after} ${ticket[after]} is before ${before} ${ticket[before]}`);
    }
  }
  if (
    valid("updatedAt") &&
    valid("createdAt") &&
    compareTimes(ticket.updatedAt as string, ticket.createdAt as string) < 0
  ) {
    problems.push(`updatedAt ${ticket.updatedAt} is before createdAt ${ticket.createdAt}`);
  }
  return problems;
}
