import type { TicketsClient } from "../src/client/index.js";
import type { TicketStatus } from "../src/contract/profile-facts.js";
import { defineScenario } from "../src/load/scenario.js";

const STATUS: TicketStatus = "completed";

/**
 * A sweep over pageNumber, 1, 10, 100, 1000, ... up to the last page and one past the end
 * (an empty page), each depth labelled, so the report draws latency against page depth:
 * how the cost of a page grows with its offset.
 */
export default defineScenario({
  name: "list-deep-pages",
  description:
    "GET /api/v1/tickets/details at pageNumber 1, 10, 100, ... past the end: latency against page depth",
  model: { kind: "closed", connections: 4 },
  warmupSeconds: 1,
  durationSeconds: 10,
  thresholds: ["errors=0", "non2xx=0", "invalid=0"],
  async requests(context) {
    const last = await lastPage(context.client, STATUS);
    const depths = sweep(last);
    let turn = 0;
    return {
      next: () => {
        const pageNumber = depths[turn++ % depths.length] as number;
        return context.request(
          "listTicketDetails",
          {},
          {
            query: { status: STATUS, pageNumber },
            label: `page ${pageNumber}`,
          },
        );
      },
    };
  },
});

/** 1, 10, 100, ... below the last page, the last page, and the first page past the end. */
export function sweep(last: number): number[] {
  const depths: number[] = [];
  for (let depth = 1; depth < last; depth *= 10) depths.push(depth);
  if (last >= 1) depths.push(last);
  depths.push(last + 1);
  return depths;
}

/** The last non-empty page of the default size: powers of ten up, then halving down. */
async function lastPage(client: TicketsClient, status: TicketStatus): Promise<number> {
  const filled = async (pageNumber: number) => {
    const answer = await client.listTicketDetails({ status, pageNumber });
    const page = answer.response?.json;
    return answer.response?.status === 200 && Array.isArray(page) && page.length > 0;
  };
  if (!(await filled(1))) return 0;
  let low = 1;
  let high = 10;
  while ((await filled(high)) && high < 10_000_000) {
    low = high;
    high *= 10;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await filled(middle)) low = middle;
    else high = middle;
  }
  return low;
}
