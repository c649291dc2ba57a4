/**
 * The context a scenario's requests are made from: seeded randomness, the fixtures, and
 * what the target holds (tickets of every status, their ids, words of their summaries),
 * read with a few requests before the run so that every query hits real data and varies,
 * and no cache on the target serves the whole run.
 */
import type { TicketDetails } from "../../contracts/types.js";
import { type QueryParams, routeRequest, serializeQuery } from "../client/index.js";
import { type FieldFilter, ID_FILTER_FIELDS, STATUSES } from "../contract/profile-facts.js";
import type { Target } from "../target/index.js";
import { seededFaker } from "../util/faker.js";
import { Random } from "../util/random.js";
import type { ScenarioContext, SeenOnTarget } from "./scenario.js";

const SAMPLE_PAGE = 100;
/** Words shorter than this match too much to measure a search. */
const SHORTEST_TERM = 4;

export async function readTarget(target: Pick<Target, "client">): Promise<SeenOnTarget> {
  const tickets: TicketDetails[] = [];
  for (const status of STATUSES) {
    const exchange = await target.client.listTicketDetails({
      status,
      pageSize: SAMPLE_PAGE,
      includeRemoved: true,
    });
    const page = exchange.response?.json;
    if (exchange.response?.status === 200 && Array.isArray(page)) tickets.push(...page);
  }
  const ids = Object.fromEntries(
    Object.entries(ID_FILTER_FIELDS).map(([filter, field]) => [
      filter,
      [
        ...new Set(
          tickets
            .map((ticket) => ticket[field])
            .filter((id): id is string => typeof id === "string"),
        ),
      ],
    ]),
  ) as Record<FieldFilter, string[]>;
  const words = tickets.flatMap((ticket) =>
    typeof ticket.summary === "string" ? ticket.summary.split(/[^\p{L}\p{N}]+/u) : [],
  );
  const searchTerms = [...new Set(words.filter((word) => word.length >= SHORTEST_TERM))];
  return { tickets, ids, searchTerms };
}

export function scenarioContext(
  target: Pick<Target, "client" | "fixtures" | "ledger" | "baseUrl">,
  seen: SeenOnTarget,
  seed: number,
): ScenarioContext {
  const basePath = new URL(target.baseUrl).pathname.replace(/\/+$/, "");
  return {
    random: new Random(seed),
    faker: seededFaker(seed),
    fixtures: target.fixtures,
    seen,
    client: target.client,
    ledger: target.ledger,
    request(operationId, pathParams, rest = {}) {
      const route = routeRequest(operationId, pathParams as never);
      const query = serializeQuery((rest.query ?? {}) as QueryParams);
      return {
        operationId,
        method: route.method,
        path: `${basePath}${route.path}${query ? `?${query}` : ""}`,
        ...(rest.body === undefined ? {} : { body: JSON.stringify(rest.body) }),
        ...(rest.label === undefined ? {} : { label: rest.label }),
      };
    },
  };
}
