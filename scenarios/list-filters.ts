import { ID_FILTER_FIELDS, STATUSES } from "../src/contract/profile-facts.js";
import { defineScenario, type ScenarioContext } from "../src/load/scenario.js";

type Query = Record<string, unknown>;

/**
 * Every filter, in generated combinations: each id filter with one or several ids seen on
 * the target, tagIds from the fixtures, search with words of real summaries, includeRemoved.
 */
export default defineScenario({
  name: "list-filters",
  description:
    "GET /api/v1/tickets/details with generated combinations of every filter, values drawn from the target's own data",
  model: { kind: "closed", connections: 10 },
  warmupSeconds: 2,
  durationSeconds: 10,
  thresholds: ["errors=0", "non2xx=0", "invalid=0", "p99<250ms"],
  requests: (context) => ({
    next: () => context.request("listTicketDetails", {}, { query: filters(context) }),
  }),
});

function filters(context: ScenarioContext): Query {
  const { random, seen, fixtures } = context;
  const query: Query = { status: random.pick(STATUSES) };
  for (const filter of Object.keys(ID_FILTER_FIELDS) as (keyof typeof ID_FILTER_FIELDS)[]) {
    const ids = seen.ids[filter];
    if (ids.length > 0 && random.chance(0.3)) query[filter] = random.sample(ids, random.int(1, 3));
  }
  if (fixtures.tagIds.length > 0 && random.chance(0.3))
    query.tagIds = random.sample(fixtures.tagIds, random.int(1, 2));
  if (seen.searchTerms.length > 0 && random.chance(0.3)) {
    const term = random.pick(seen.searchTerms);
    query.search = random.chance(0.5)
      ? term.toUpperCase()
      : term.slice(0, Math.max(4, term.length - 1));
  }
  if (random.chance(0.3)) query.includeRemoved = random.chance(0.5);
  if (random.chance(0.3)) query.pageSize = random.pick([10, 25, 50, 100]);
  return query;
}
