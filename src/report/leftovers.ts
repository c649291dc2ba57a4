/**
 * What a run left behind on the target, as every report and the CLI name it: the item by
 * id, why it is left, and the curl that would clean it by hand.
 */
import type { Leftover } from "../checks/results.js";

/** `ticket <id>`, `tag <tagId> on ticket <ticketId>`, `chat <chatId>`. */
export function leftoverName(leftover: Leftover): string {
  return `${leftover.kind} ${leftoverId(leftover)}`;
}

/** The item's id: a ticket's, a tag's with its ticket's, a chat's. */
export function leftoverId(leftover: Leftover): string {
  switch (leftover.kind) {
    case "ticket":
      return `${leftover.ticketId}`;
    case "tag":
      return `${leftover.tagId} on ticket ${leftover.ticketId}`;
    case "chat":
      return `${leftover.chatId}`;
  }
}

/** One line of the CLI's: `ticket <id> (<reason>): <curl>`. */
export function leftoverLine(leftover: Leftover): string {
  return `${leftoverName(leftover)} (${oneLine(leftover.reason)}): ${oneLine(leftover.curl)}`;
}

/** The Markdown section of the summaries: a table of what, id, why, and the curl. */
export function leftoversMarkdown(leftovers: Leftover[], title: string): string[] {
  if (leftovers.length === 0) return [];
  return [
    "",
    `## ${title}`,
    "",
    "The run could not undo these, or could not confirm them undone; each command cleans one by hand (with the key in its variable).",
    "",
    "| what | id | why | clean it by hand |",
    "|---|---|---|---|",
    ...leftovers.map(
      (leftover) =>
        `| ${leftover.kind} | ${idCell(leftover)} | ${cell(leftover.reason)} | ${code(leftover.curl)} |`,
    ),
  ];
}

function idCell(leftover: Leftover): string {
  return leftover.kind === "tag"
    ? `${code(`${leftover.tagId}`)} on ticket ${code(`${leftover.ticketId}`)}`
    : code(leftoverId(leftover));
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}

/** Text for a table cell: one line, its pipes escaped. */
function cell(text: string): string {
  return oneLine(text).replace(/\|/g, "\\|");
}

/** A code span in a table cell that shows the text as it is, backticks and pipes too. */
function code(text: string): string {
  const inner = cell(text);
  const longest = Math.max(0, ...(inner.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = inner.startsWith("`") || inner.endsWith("`") ? " " : "";
  return `${fence}${pad}${inner}${pad}${fence}`;
}
