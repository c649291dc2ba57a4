import { STATUSES } from "../src/contract/profile-facts.js";
import { defineScenario } from "../src/load/scenario.js";

/** The largest page the docs allow: 100 tickets of 32 fields each, about 110 KB. */
export default defineScenario({
  name: "list-page-100",
  description: "GET /api/v1/tickets/details?pageSize=100: the largest page, statuses mixed",
  model: { kind: "closed", connections: 10 },
  warmupSeconds: 2,
  durationSeconds: 10,
  thresholds: ["errors=0", "non2xx=0", "invalid=0", "p99<500ms"],
  requests: (context) => ({
    next: () =>
      context.request(
        "listTicketDetails",
        {},
        {
          query: {
            status: context.random.pick(STATUSES),
            pageSize: 100,
            pageNumber: context.random.int(1, 3),
          },
        },
      ),
  }),
});
