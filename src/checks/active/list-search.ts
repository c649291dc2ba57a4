/**
 * list_search: `search` as PROFILE.md states it, "case-insensitive substring of `summary`",
 * taken at its word on both sides. For every letter: a piece of a summary in another case
 * finds its ticket, and the pieces chosen hold a letter beyond ASCII whenever the summary
 * has one (É, Ü, Ж fold their case too). Of `summary` only: a term taken from the ticket's
 * other text fields (the owner's and the responder's names) that the summary does not hold
 * does not find it. Both sides run on every case the property draws.
 */
import fc from "fast-check";
import type { ListTicketDetailsParameters, TicketDetails } from "../../../contracts/types.js";
import { swapCase } from "../../util/text.js";
import type { ActiveCheck } from "../context.js";
import { checkProperty, PropertyFailure } from "../property.js";
import { findIn, samples } from "./list-properties.js";

type Query = ListTicketDetailsParameters["query"];
const MIN_TERM = 4;

/** A character outside ASCII that has a case (É, Ü, Ж). */
function widerLetter(char: string): boolean {
  return (char.codePointAt(0) ?? 0) > 0x7f && char.toUpperCase() !== char.toLowerCase();
}

/** A piece of `text` of about `length` characters, around its first letter beyond ASCII if any. */
export function searchPiece(text: string, start: number, length: number): string {
  const chars = [...text];
  const wide = chars.findIndex(widerLetter);
  const size = Math.min(length, chars.length);
  const from =
    wide >= 0
      ? Math.max(0, Math.min(wide - (start % size), chars.length - size))
      : start % Math.max(1, chars.length - size + 1);
  return chars.slice(from, from + size).join("");
}

/** A term from the ticket's other text that its summary does not hold, if there is one. */
function elsewhere(ticket: TicketDetails, pick: number): string | undefined {
  const summary = ticket.summary.toLowerCase();
  const words = [ticket.ownerName, ticket.responderName]
    .flatMap((name) => (name ?? "").split(/[\s()]+/))
    .filter((word) => word.length >= MIN_TERM && !summary.includes(word.toLowerCase()));
  return words.length > 0 ? words[pick % words.length] : undefined;
}

export const listSearch: ActiveCheck = {
  id: "list_search",
  title:
    "search finds a ticket by any piece of its summary in any case, letters beyond ASCII included, and by nothing else",
  source: "profile",
  section: "PROFILE.md The list endpoint",
  rule: "`search`: case-insensitive substring of `summary`.",
  mutates: false,
  async run(context) {
    const tickets = await samples(context);
    if (tickets.length === 0) {
      context.warn("the target lists no tickets: search could not be checked");
      return;
    }
    // A fault that shows only on letters beyond ASCII shows only on such summaries: draw
    // from them when the target has any, from all otherwise.
    const wide = tickets.filter((ticket) => [...ticket.summary].some(widerLetter));
    const arbitrary = fc.record({
      ticket: fc.oneof(
        fc.constantFrom(...(wide.length > 0 ? wide : tickets)),
        fc.constantFrom(...tickets),
      ),
      start: fc.nat(),
      length: fc.integer({ min: MIN_TERM, max: 14 }),
      casing: fc.constantFrom("swapped", "upper", "lower"),
      pick: fc.nat(),
    });
    await checkProperty(
      context,
      fc.asyncProperty(arbitrary, async ({ ticket, start, length, casing, pick }) => {
        const base: Query = { status: ticket.status, chatIds: ticket.chatId, pageSize: 100 };
        if (ticket.chatIsRemoved) base.includeRemoved = true;
        const piece = searchPiece(ticket.summary, start, length);
        const search =
          casing === "upper"
            ? piece.toUpperCase()
            : casing === "lower"
              ? piece.toLowerCase()
              : swapCase(piece);
        if (!(await findIn(context, { ...base, search }, ticket.id))) {
          throw new PropertyFailure(
            `search=${JSON.stringify(search)} does not find ticket ${ticket.id}, whose summary holds ${JSON.stringify(piece)}`,
            undefined,
            `ticket ${ticket.id} listed`,
            "not listed",
          );
        }
        const term = elsewhere(ticket, pick);
        if (term && (await findIn(context, { ...base, search: term }, ticket.id))) {
          throw new PropertyFailure(
            `search=${JSON.stringify(term)} finds ticket ${ticket.id}, whose summary does not hold it (it is in the owner's or the responder's name): search is of \`summary\` only`,
            undefined,
            "not listed",
            `ticket ${ticket.id} listed`,
          );
        }
      }),
    );
  },
};
