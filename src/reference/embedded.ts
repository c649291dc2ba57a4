/**
 * The reference server as `check` and the mutation matrix use it when no base URL is
 * given: in-process, on a free loopback port, seeded with 5,000 tickets. That is enough
 * for every status, removed chats and filters that match several pages, and it starts in
 * a fraction of a second, so the README's first command stays quick. (The load bench
 * wants a larger, separate one.)
 */
import { type ReferenceServer, startReferenceServer } from "./server.js";

const CHECK_SEED = 1;
const CHECK_TICKETS = 5_000;

export function startEmbeddedServer(options: {
  apiKeyEnv: string;
  faults?: readonly string[];
  choices?: readonly string[];
}): Promise<ReferenceServer> {
  return startReferenceServer({
    seed: CHECK_SEED,
    tickets: CHECK_TICKETS,
    faults: options.faults ?? [],
    choices: options.choices ?? [],
    apiKeyEnv: options.apiKeyEnv,
  });
}
