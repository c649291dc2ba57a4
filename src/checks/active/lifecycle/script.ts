import { Create, List, Tag, Transition } from "./commands.js";
import type { Command } from "./model.js";

/** One scripted pass over every lifecycle rule, so none depends on what random sequences meet. */
export function script(): Command[] {
  return [
    new Create("pending", 0, 0, false),
    new Transition("takeover", 0, 1), // pending -> ongoing: ongoingAt = now
    new Transition("takeover", 0, 2), // ongoing: ongoingAt kept
    new Transition("assign", 0, 0), // status kept
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
    new Transition("complete", 1, 0), // from pending: ongoingAt stays null
    new Tag(true, 1, 1), // tags change in any state
    new List(1, [1]),
    new Create("ongoing", 2, 1, false),
    new List(2, []),
  ];
}
