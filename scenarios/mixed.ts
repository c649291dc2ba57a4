import { STATUSES } from "../src/contract/profile-facts.js";
import { defineScenario, type PlannedRequest, type ScenarioContext } from "../src/load/scenario.js";

/** Of every ten requests, about this many are writes; the rest list. */
const WRITE_SHARE = 0.1;

interface OpenTicket {
  id: string;
  chatId: string;
  tagId?: string;
  /** A request on it is in flight: no second one until it answers. */
  busy: boolean;
  writes: number;
}

type Action =
  | { kind: "create"; chatId: string }
  | {
      kind: "takeover" | "assign" | "complete" | "tag" | "untag";
      ticket: OpenTicket;
      tagId?: string;
    };

/**
 * A support team at work: mostly listing, some creating tickets on fixture chats, taking
 * them over, reassigning, tagging, untagging and completing them. One request at a time
 * per ticket, so every write is one the lifecycle allows; everything created is entered
 * in the ledger as it is answered, and cleaned up after the run (also on Ctrl-C).
 */
export default defineScenario({
  name: "mixed",
  description:
    "mostly list, some create / takeover / assignee / tag / untag / complete on fixture chats",
  model: { kind: "closed", connections: 8 },
  warmupSeconds: 1,
  durationSeconds: 10,
  thresholds: ["errors=0", "non2xx=0", "invalid=0", "p99<500ms"],
  writes: true,
  requests: (context) => {
    const tickets: OpenTicket[] = [];
    const actions = new Map<PlannedRequest, Action>();
    return {
      needsBodies: true,
      next() {
        const action = context.random.chance(WRITE_SHARE)
          ? chooseWrite(context, tickets)
          : undefined;
        if (!action) return list(context);
        const request = requestFor(context, action);
        actions.set(request, action);
        // Until the answer is read, the ledger assumes the write landed: a chat may hold a
        // new ticket, a tag may be attached (cleanup checks both).
        context.ledger.sending(
          request.operationId,
          request.body,
          action.kind === "create" ? undefined : action.ticket.id,
        );
        return request;
      },
      onAnswer(request, status, body) {
        const action = actions.get(request);
        if (!action) return;
        actions.delete(request);
        settle(context, tickets, request, action, status, body);
      },
    };
  },
});

function list(context: ScenarioContext): PlannedRequest {
  return context.request(
    "listTicketDetails",
    {},
    {
      query: { status: context.random.pick(STATUSES), pageNumber: context.random.int(1, 2) },
    },
  );
}

/** A write the lifecycle allows on a ticket nothing else is writing to, or a create. */
function chooseWrite(context: ScenarioContext, tickets: OpenTicket[]): Action | undefined {
  const { random, ledger, fixtures } = context;
  const idle = tickets.filter((ticket) => !ticket.busy);
  if (idle.length === 0 || (idle.length < 4 && random.chance(0.5))) {
    const chatId = ledger.chats.take();
    return chatId ? { kind: "create", chatId } : undefined;
  }
  const ticket = random.pick(idle);
  ticket.busy = true;
  if (ticket.tagId) return { kind: "untag", ticket };
  if (ticket.writes >= 3 && random.chance(0.4)) return { kind: "complete", ticket };
  const kind = random.pick(["takeover", "assign", "tag"] as const);
  return kind === "tag" ? { kind, ticket, tagId: random.pick(fixtures.tagIds) } : { kind, ticket };
}

/** The request of an action, labelled with it: the report shows each operation's latency. */
function requestFor(context: ScenarioContext, action: Action): PlannedRequest {
  return { ...unlabelled(context, action), label: action.kind };
}

function unlabelled(context: ScenarioContext, action: Action): PlannedRequest {
  const { random, fixtures } = context;
  const user = () => random.pick(fixtures.userIds);
  if (action.kind === "create") {
    const body = {
      chatId: action.chatId,
      assigneeId: user(),
      ticketingTeamId: fixtures.ticketingTeamIds[0] ?? null,
      status: random.pick(["pending", "ongoing"] as const),
    };
    return context.request("createTicket", {}, { body });
  }
  const id = action.ticket.id;
  switch (action.kind) {
    case "takeover":
      return context.request("takeoverTicket", { id }, { body: { assigneeId: user() } });
    case "assign":
      return context.request("updateTicketAssignee", { id }, { body: { assigneeId: user() } });
    case "complete":
      return context.request("completeTicket", { id }, { body: { userId: user() } });
    case "tag":
      return context.request(
        "attachTicketTag",
        { ticketId: id },
        { body: { tagId: action.tagId } },
      );
    case "untag":
      return context.request("removeTicketTag", {
        ticketId: id,
        tagId: action.ticket.tagId as string,
      });
  }
}

/**
 * What an answer did, entered in the ledger (which believes only a readable answer) and in
 * the scenario's own list of tickets.
 */
function settle(
  context: ScenarioContext,
  tickets: OpenTicket[],
  request: PlannedRequest,
  action: Action,
  status: number,
  body: string | undefined,
): void {
  const { ledger } = context;
  const json = jsonOf(body);
  ledger.answered(
    request.operationId,
    { url: request.path, body: request.body },
    status === 0 ? undefined : { status, json },
  );
  const ok = status >= 200 && status < 300;
  if (action.kind === "create") {
    const id = ok ? (json as { id?: unknown } | undefined)?.id : undefined;
    if (typeof id === "string" && ledger.chats.chatOf(id) === action.chatId) {
      tickets.push({ id, chatId: action.chatId, busy: false, writes: 0 });
    } else if (status >= 400 && status < 500 && status !== 409) {
      ledger.chats.giveBack(action.chatId);
    }
    return;
  }
  const { ticket } = action;
  ticket.busy = false;
  if (!ok) return;
  ticket.writes++;
  if (action.kind === "tag" && action.tagId) {
    ticket.tagId = action.tagId;
  } else if (action.kind === "untag") {
    delete ticket.tagId;
  } else if (action.kind === "complete") {
    tickets.splice(tickets.indexOf(ticket), 1);
  }
}

function jsonOf(body: string | undefined): unknown {
  try {
    return JSON.parse(body ?? "");
  } catch {
    return undefined;
  }
}
