import { defineScenario } from "../../src/load/scenario.js";

/**
 * The one request the yardsticks (the autocannon CLI, wrk) send, fixed, so that
 * `npm run bench:load` compares the generators and not the queries.
 */
export default defineScenario({
  name: "fixed-list",
  description: "GET /api/v1/tickets/details?status=pending, the same request every time",
  model: { kind: "closed", connections: 10 },
  warmupSeconds: 1,
  durationSeconds: 8,
  thresholds: ["errors=0", "non2xx=0"],
  requests: (context) => ({
    next: () => context.request("listTicketDetails", {}, { query: { status: "pending" } }),
  }),
});
