/**
 * unlisted_input_held: input the docs do not list, where the docs and PROFILE.md leave the
 * answer open. For each of four boundaries the check sends the request on several
 * endpoints, learns the target's side from its first answer (either side passes), then
 * holds every later answer to that same side (consistency with the target's own choice,
 * as `complete` and the assignee), and never takes a 5xx:
 * - a method a path does not list (PUT /api/v1/tickets, DELETE and POST on the list and the
 *   details, GET on complete, PUT on takeover, GET on a ticket's tags, PATCH on a tag):
 *   404 or 405 (RFC 9110 15.5.5, 15.5.6), the same every time;
 * - a query parameter the docs do not list (a cache-buster `_`, `statuses`, `include`,
 *   `notify`) on the list, the details and a takeover: ignored (the answer the request has
 *   without it: the takeover sets the assignee) or refused with 400 (and nothing changed),
 *   the same on every endpoint; and with a stated refusal beside it (`pageSize=0`, no
 *   `status`) always the profile's 400;
 * - a body field the docs do not list (`priority`, `comment`, `notify`, `color`, `reason`)
 *   on create, assignee, takeover, tag attach and complete: ignored (the write done as
 *   sent) or refused with 400 (nothing changed), the same on every operation; and beside a
 *   missing required field always 400;
 * - a UUID of another version than 4 (v1, v5, v7), where the docs say "A UUID v4 string":
 *   in a path (details, takeover) treated as a UUID (404, unknown) or refused (400); in an
 *   id filter (`chatIds`, `assigneeIds`, `tagIds`) treated as a UUID (200) or refused
 *   (400): one side for paths and filters; then in a body (an attach's `tagId`, a
 *   create's `chatId`) 400 on the refusing side, else the profile's 404 (400 or 404 for
 *   the chat).
 * What was learned is in the run's TargetChoices and the check's measured line.
 */
import type { TicketRow } from "../../../contracts/types.js";
import type { Exchange, QueryParams, SendRequest } from "../../client/index.js";
import { routeRequest } from "../../client/index.js";
import { Random } from "../../util/random.js";
import { type ActiveCheck, type CheckContext, describeAnswer } from "../context.js";
import { readDetails, sampleTicket } from "./samples.js";

/** RFC 4122 appendix B's DNS namespace id (version 1), and ids of versions 5 and 7. */
export const OTHER_VERSION_UUIDS = [
  "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
  "01890a5d-ac96-774b-bcce-b302099a8057",
  "886313e1-3b8a-5372-9b90-0c9aee199e5d",
] as const;

const METHOD = "a method a path does not list";
const PARAMETER = "a query parameter the docs do not list";
const FIELD = "a body field the docs do not list";
const VERSION = "a UUID of another version than 4";
const CHOICE_NAMES = [METHOD, PARAMETER, FIELD, VERSION] as const;

const OPEN: Record<(typeof CHOICE_NAMES)[number], string> = {
  [METHOD]:
    "the docs list the methods of each path; a method one does not list is 404 or 405 (RFC 9110 15.5.5, 15.5.6), PROFILE.md says which of them nowhere",
  [PARAMETER]:
    "PROFILE.md Errors: `400` for a query parameter out of bounds or of the wrong type; silent on one the docs do not list (ignored or refused)",
  [FIELD]:
    "PROFILE.md Errors: `400` for a body that lacks a required field or has a field of the wrong type/format; silent on a field the docs do not list (ignored or refused)",
  [VERSION]:
    'the docs: "A UUID v4 string"; PROFILE.md Errors: `400` for a path id that is not a UUID, `404` for a well-formed one that does not exist: a UUID of another version may be either',
};

const NEVER_5XX = "PROFILE.md Errors: Never `5xx` for any input a client can send.";

type Side = string;

class Prober {
  requests = 0;

  constructor(readonly context: CheckContext) {}

  async send(request: SendRequest): Promise<Exchange<unknown>> {
    this.requests++;
    return this.context.api.send(request);
  }

  /**
   * The side this answer takes (undefined, with a failure, when it takes none); the first
   * side of a choice is learned, a later other one is an inconsistency.
   */
  side(
    choice: (typeof CHOICE_NAMES)[number],
    what: string,
    exchange: Exchange<unknown>,
    sides: (status: number) => Side | undefined,
    allowed: string,
  ): Side | undefined {
    const status = exchange.response?.status;
    const side = status === undefined ? undefined : sides(status);
    if (side === undefined) {
      const server = status !== undefined && status >= 500;
      this.context.fail(`${what}: answered ${describeAnswer(exchange)}`, {
        expected: server ? `${allowed} (${NEVER_5XX})` : `${allowed} (${OPEN[choice]})`,
        actual: describeAnswer(exchange),
        exchange,
      });
      return undefined;
    }
    const earlier = this.context.choices.hold(choice, side, what, OPEN[choice]);
    if (earlier) {
      this.context.fail(
        `${what}: ${side} here, but ${earlier.value} when ${earlier.where}: ${OPEN[choice]}; the target must make the same choice every time (consistency with the target's own choice)`,
        { expected: earlier.value, actual: describeAnswer(exchange), exchange },
      );
    }
    return side;
  }

  /** 2xx: ignored; the profile's 400: refused; anything else is no side of it. */
  ignoredOrRefused(
    choice: typeof PARAMETER | typeof FIELD,
    what: string,
    exchange: Exchange<unknown>,
  ) {
    return this.side(
      choice,
      what,
      exchange,
      (status) =>
        status >= 200 && status < 300
          ? "ignored"
          : this.context.hasStatus(exchange, 400)
            ? "refused with 400"
            : undefined,
      "ignored (the answer without it) or refused with 400",
    );
  }
}

const REFUSED = "refused with 400";

async function methods(prober: Prober, ticketId: string, tagId: string | undefined) {
  const ticket = `/api/v1/tickets/${ticketId}`;
  const unlisted: [string, string, string][] = [
    ["PUT", "/api/v1/tickets", "POST"],
    ["DELETE", "/api/v1/tickets/details", "GET"],
    ["GET", `${ticket}/complete`, "PATCH"],
    ["POST", `${ticket}/details`, "GET"],
    ["PUT", `${ticket}/takeover`, "PATCH"],
    ["GET", `${ticket}/tags`, "POST"],
  ];
  if (tagId) unlisted.push(["PATCH", `${ticket}/tags/${tagId}`, "DELETE"]);
  for (const [method, path, listed] of unlisted) {
    const exchange = await prober.send({ method, path });
    prober.side(
      METHOD,
      `${method} ${path} (the docs list only ${listed} there)`,
      exchange,
      (status) => (status === 405 ? "405" : status === 404 ? "404" : undefined),
      "404 or 405",
    );
  }
}

/** The ticket as it reads now, and a check that a refused request left it so. */
async function unchangedBy(
  context: CheckContext,
  id: string,
  before: unknown,
  what: string,
): Promise<unknown> {
  const after = await readDetails(context, id);
  if (
    before !== undefined &&
    after !== undefined &&
    JSON.stringify(before) !== JSON.stringify(after)
  ) {
    context.fail(`${what}: refused, yet the ticket changed`, {
      expected: JSON.stringify(before),
      actual: JSON.stringify(after),
    });
  }
  return after;
}

/** A write that must take effect when ignored (the row's assignee) and change nothing when refused. */
async function write(
  prober: Prober,
  choice: typeof PARAMETER | typeof FIELD,
  what: string,
  request: SendRequest,
  ticketId: string,
  assigneeId: string | undefined,
): Promise<void> {
  const { context } = prober;
  const before = await readDetails(context, ticketId);
  const exchange = await prober.send(request);
  const side = prober.ignoredOrRefused(choice, what, exchange);
  if (side === REFUSED) {
    await unchangedBy(context, ticketId, before, what);
  } else if (side === "ignored" && assigneeId !== undefined && context.usable(exchange)) {
    const row = exchange.response?.json as TicketRow;
    if (row.assigneeId !== assigneeId) {
      context.fail(`${what}: ignored the unlisted input, but did not set the assignee sent`, {
        expected: `assigneeId ${assigneeId} (PROFILE.md Lifecycle: sets \`assigneeId\`)`,
        actual: JSON.stringify(row.assigneeId),
        exchange,
      });
    }
  }
}

async function parameters(prober: Prober, ticket: string | undefined, own: string | undefined) {
  const { context } = prober;
  const list = (query: QueryParams) => routeRequest("listTicketDetails", {}, { query });
  const buster = String(Date.parse("2026-01-01T00:00:00Z"));
  const reads: [string, SendRequest][] = [
    ["list with a cache-buster _", list({ status: "pending", _: buster })],
    ["list with statuses=ongoing beside status", list({ status: "pending", statuses: "ongoing" })],
  ];
  if (ticket) {
    reads.splice(1, 0, [
      "details with a cache-buster _",
      routeRequest("getTicketDetails", { id: ticket }, { query: { _: buster } }),
    ]);
    reads.push([
      "details with include=tags",
      routeRequest("getTicketDetails", { id: ticket }, { query: { include: "tags" } }),
    ]);
  }
  for (const [what, request] of reads) {
    prober.ignoredOrRefused(PARAMETER, what, await prober.send(request));
  }
  // A stated refusal beside it: the profile's 400 whichever side the target takes.
  const stated: [string, QueryParams][] = [
    ["list with pageSize=0 and a cache-buster _", { status: "pending", pageSize: 0, _: buster }],
    ["list without status, with a cache-buster _", { _: buster }],
  ];
  for (const [what, query] of stated) {
    context.expectStatus(await prober.send(list(query)), `${what}: refused`, 400);
  }
  if (!own) return;
  const user = context.fixtures.userIds[1] ?? (context.fixtures.userIds[0] as string);
  await write(
    prober,
    PARAMETER,
    "takeover with notify=false in the query",
    routeRequest(
      "takeoverTicket",
      { id: own },
      { query: { notify: "false" }, body: { assigneeId: user } },
    ),
    own,
    user,
  );
}

async function fields(prober: Prober, own: string) {
  const { context } = prober;
  const [first, second] = [
    context.fixtures.userIds[0] as string,
    (context.fixtures.userIds[1] ?? context.fixtures.userIds[0]) as string,
  ];
  const chatId = context.chats.take();
  if (chatId) {
    const body = {
      chatId,
      assigneeId: first,
      ticketingTeamId: null,
      status: "pending",
      priority: "high",
    };
    const exchange = await prober.send(routeRequest("createTicket", {}, { body }));
    const side = prober.ignoredOrRefused(FIELD, "create with priority in the body", exchange);
    // Refused, the chat stays free; any other answer than a 2xx leaves it to nobody.
    if (side === REFUSED) context.chats.giveBack(chatId);
  }
  const tagId = context.fixtures.tagIds[0];
  const writes: [string, SendRequest, string | undefined][] = [
    [
      "assignee update with comment in the body",
      routeRequest(
        "updateTicketAssignee",
        { id: own },
        { body: { assigneeId: first, comment: "moved" } },
      ),
      first,
    ],
    [
      "takeover with notify in the body",
      routeRequest("takeoverTicket", { id: own }, { body: { assigneeId: second, notify: false } }),
      second,
    ],
  ];
  if (tagId) {
    writes.push([
      "tag attach with color in the body",
      routeRequest("attachTicketTag", { ticketId: own }, { body: { tagId, color: "red" } }),
      undefined,
    ]);
  }
  for (const [what, request, assignee] of writes) {
    await write(prober, FIELD, what, request, own, assignee);
  }
  // Beside a stated refusal (a required field missing): 400 whichever side, nothing changed.
  const before = await readDetails(context, own);
  const what = "takeover with notify in the body and no assigneeId";
  context.expectStatus(
    await prober.send(routeRequest("takeoverTicket", { id: own }, { body: { notify: false } })),
    `${what}: refused`,
    400,
  );
  await unchangedBy(context, own, before, what);
  await write(
    prober,
    FIELD,
    "complete with reason in the body",
    routeRequest("completeTicket", { id: own }, { body: { userId: first, reason: "done" } }),
    own,
    undefined,
  );
}

const ANY_VERSION = "any version is a UUID";
const V4_ONLY = "only version 4 is a UUID (400)";

async function versions(prober: Prober, own: string | undefined) {
  const { context } = prober;
  const [v1, v7, v5] = OTHER_VERSION_UUIDS;
  const path = (what: string, exchange: Exchange<unknown>) =>
    prober.side(
      VERSION,
      what,
      exchange,
      (status) =>
        status === 404 ? ANY_VERSION : context.hasStatus(exchange, 400) ? V4_ONLY : undefined,
      "404 (a UUID, unknown) or 400 (not a UUID v4)",
    );
  const filter = (what: string, exchange: Exchange<unknown>) =>
    prober.side(
      VERSION,
      what,
      exchange,
      (status) =>
        status === 200 ? ANY_VERSION : context.hasStatus(exchange, 400) ? V4_ONLY : undefined,
      "200 (a UUID) or 400 (not a UUID v4)",
    );
  const list = (query: QueryParams) =>
    prober.send(routeRequest("listTicketDetails", {}, { query: { status: "pending", ...query } }));
  path(
    `details of ticket ${v1} (version 1)`,
    await prober.send(routeRequest("getTicketDetails", { id: v1 })),
  );
  filter(`list with chatIds=${v7} (version 7)`, await list({ chatIds: v7 }));
  path(
    `details of ticket ${v7} (version 7)`,
    await prober.send(routeRequest("getTicketDetails", { id: v7 })),
  );
  filter(`list with assigneeIds=${v1} (version 1)`, await list({ assigneeIds: v1 }));
  filter(`list with tagIds=${v5} (version 5)`, await list({ tagIds: v5 }));
  if (!own) return;
  const user = context.fixtures.userIds[0] as string;
  path(
    `takeover of ticket ${v5} (version 5)`,
    await prober.send(routeRequest("takeoverTicket", { id: v5 }, { body: { assigneeId: user } })),
  );
  // In a body: the side learned above, else what the profile states for an unknown id.
  const refusing = context.choices.get(VERSION)?.value === V4_ONLY;
  const why = refusing ? `the target refuses ids of another version (${VERSION}: ${V4_ONLY})` : "";
  const attach = await prober.send(
    routeRequest("attachTicketTag", { ticketId: own }, { body: { tagId: v1 } }),
  );
  context.expectStatus(
    attach,
    `attach tag ${v1} (version 1): ${why || "an unknown tagId on attach (PROFILE.md Errors: 404)"}`,
    ...(refusing ? [400] : [404]),
  );
  const create = await prober.send(
    routeRequest(
      "createTicket",
      {},
      { body: { chatId: v7, assigneeId: user, ticketingTeamId: null, status: "pending" } },
    ),
  );
  context.expectStatus(
    create,
    `create on chat ${v7} (version 7): ${why || "an unknown chatId in a body (PROFILE.md Errors: 400 or 404)"}`,
    ...(refusing ? [400] : [400, 404]),
  );
}

export const unlistedInputHeld: ActiveCheck = {
  id: "unlisted_input_held",
  title:
    "Input the docs do not list (a method, a query parameter, a body field, a UUID of another version): the target's side, learned from its first answer, the same every time, never a 5xx",
  source: "profile",
  section:
    'PROFILE.md Errors; docs: each path\'s methods, parameters and bodies, "A UUID v4 string"',
  rule:
    "A method a path does not list: 404 or 405 (RFC 9110 15.5.5, 15.5.6). A query parameter or a body field the docs do " +
    "not list: ignored or `400` (PROFILE.md Errors states 400 only for one out of bounds, of the wrong type, or a " +
    'required field missing: with one of those beside it, `400`). A UUID of another version than 4 (the docs: "A UUID ' +
    'v4 string"): `400` (not a UUID v4) or treated as a UUID (`404` unknown in a path, a filter that matches nothing). ' +
    "Either side passes; the target takes one and the same every time, on every endpoint (consistency with the " +
    "target's own choice: learned from its first answer, then held). Never `5xx` for any input a client can send; a " +
    "refused request changes nothing.",
  mutates: true,
  async run(context) {
    const prober = new Prober(context);
    const sample = await sampleTicket(context);
    if (context.options.readOnly) {
      await parameters(prober, sample?.id, undefined);
      await versions(prober, undefined);
      context.notes.push(
        "read-only: only GETs were tried (query parameters and UUID versions in paths and filters), not methods or bodies",
      );
    } else {
      const row = await context.newTicket("pending");
      const ghost = new Random(context.options.seed ^ 0x0de1).uuid();
      await methods(prober, row?.id ?? ghost, context.fixtures.tagIds[0]);
      await parameters(prober, sample?.id ?? row?.id, row?.id);
      await versions(prober, row?.id);
      if (row) await fields(prober, row.id);
    }
    const learned = CHOICE_NAMES.flatMap((name) => {
      const side = context.choices.get(name);
      return side ? [`${name}: ${side.value}`] : [];
    });
    context.measured = {
      line: `the target's sides, learned and held over ${prober.requests} probe(s): ${learned.join("; ") || "none"}`,
      values: { requests: prober.requests, learned: learned.length },
    };
  },
};
