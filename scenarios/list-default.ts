import { STATUSES } from "../src/contract/profile-facts.js";
import { defineScenario } from "../src/load/scenario.js";

/** The list as a support inbox opens it: one status, the default page size, the first pages. */
export default defineScenario({
  name: "list-default",
  description:
    "GET /api/v1/tickets/details with a status and the default page size, statuses mixed",
  model: { kind: "closed", connections: 10 },
  warmupSeconds: 2,
  durationSeconds: 10,
  thresholds: ["errors=0", "non2xx=0", "invalid=0", "p99<250ms"],
  requests: (context) => ({
    next: () =>
      context.request(
        "listTicketDetails",
        {},
        {
          query: { status: context.random.pick(STATUSES), pageNumber: context.random.int(1, 3) },
        },
      ),
  }),
});
