/** Tickets the target already holds, read (never written) for checks that need one. */
import type { TicketDetails } from "../../../contracts/types.js";
import { STATUSES } from "../../contract/profile-facts.js";
import type { CheckContext } from "../context.js";

/** The newest ticket of the first status that has one; undefined if the target has none. */
export async function sampleTicket(context: CheckContext): Promise<TicketDetails | undefined> {
  for (const status of STATUSES) {
    const exchange = await context.api.listTicketDetails({
      status,
      pageSize: 1,
      includeRemoved: true,
    });
    const page = exchange.response?.json;
    const usable = exchange.response?.status === 200 && context.usable(exchange);
    if (usable && Array.isArray(page) && page.length > 0) {
      return page[0] as TicketDetails;
    }
  }
  return undefined;
}

/** A ticket's details by id, or undefined when the answer is not a conforming 200. */
export async function readDetails(
  context: CheckContext,
  id: string,
): Promise<TicketDetails | undefined> {
  const exchange = await context.api.getTicketDetails(id);
  const usable = exchange.response?.status === 200 && context.usable(exchange);
  return usable ? (exchange.response?.json as TicketDetails) : undefined;
}
