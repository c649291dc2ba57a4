import { Create, List, ReadAll, Tag, Transition } from "./commands.js";
import type { Command } from "./model.js";

/** One scripted pass over every lifecycle rule, so none depends on what random sequences meet. */
export function script(): Command[] {
  return [
    new Create("pending", 0, 0, false),
    new Transition("takeover", 0, 1), // pending -> ongoing: ongoingAt = now
    new Transition("takeover", 0, 2), // ongoing: ongoingAt kept
    new Transition("assign", 0, 0), // status kept
    new Create("ongoing", 2, null, false), // a second ticket, of another assignee
    new Transition("assign", 1, 0), // its assignee now that of the first
    new Transition("takeover", 0, 3), // the first moves on: the second stays
    new ReadAll(), // a write to one ticket changes no other
    new List(0, [], false, 3), // read-your-writes: found under its new assignee
    new List(0, [], false, 0), // and no longer under its old one
    new Transition("complete", 1, 0),
    new Tag(true, 0, 0),
    new Tag(true, 0, 0), // attached: 409
    new List(0, [0]),
    new List(0, [0, 1]), // any of the tags
    new List(0, [1]), // not this ticket
    new List(0, [0], true), // with includeRemoved=true too
    new Tag(false, 0, 0),
    new Tag(false, 0, 0), // not attached: 404
    new List(0, [0]),
    new Create("ongoing", 1, null, true), // a second open ticket on a chat: 409
    new Transition("complete", 0, 0),
    new Transition("complete", 0, 1), // completed is final: 409
    new Transition("takeover", 0, 1),
    new Transition("assign", 0, 1),
    new Create("pending", 1, null, false),
    new Transition("complete", 2, 0), // from pending: ongoingAt stays null
    new Tag(true, 2, 1), // tags change in any state
    new List(2, [1]),
    new Create("ongoing", 2, 1, false),
    new List(3, []),
  ];
}
