/**
 * One request before anything else, so that a wrong URL or key is one clear line before
 * a run starts, not a wall of failures: is the target there, is it the Tickets API, does it
 * take the key?
 */
import type { TicketsClient } from "../client/index.js";
import { UserError } from "../util/exit-codes.js";
import { RunStopped } from "../util/run-stopped.js";

export async function probe(
  client: TicketsClient,
  baseUrl: string,
  keyName: string,
): Promise<void> {
  const exchange = await client.listTicketDetails({ status: "pending", pageSize: 1 });
  if (exchange.error) {
    throw RunStopped.unreachable(`target ${baseUrl} did not answer: ${exchange.error.message}`);
  }
  if (exchange.response?.status === 404) {
    throw new UserError(
      `target ${baseUrl} answered 404 to GET /api/v1/tickets/details: is the base URL right (it is the part before /api/v1)?`,
    );
  }
  if (exchange.response?.status === 401) {
    throw new UserError(
      `target ${baseUrl} refused the API key in ${keyName} (401): check the key and the config's "authScheme"`,
    );
  }
}
