/**
 * The choices section of summary.md and report.html: where the docs and PROFILE.md leave a
 * choice open, the side the target took (learned from its first answer that showed it, then
 * held), where that answer was, and what leaves the choice open. From results.json's
 * `choices` (src/checks/results.ts); absent in an older results.json: no section.
 */
import type { LearnedChoice } from "../checks/results.js";
import { html, joinHtml, type SafeHtml } from "./page/html.js";
import { prose } from "./page/page.js";

export const CHOICES_TITLE = "Choices the target made where the profile leaves them open";
export const CHOICES_INTRO =
  "Either side passes; the checks learn the target's side from its first answer that shows it, then hold it to that side.";
/** A run that recorded choices but did not meet this one. */
export const NOT_SEEN = "not seen";

export function choicesMarkdown(choices: LearnedChoice[] | undefined): string[] {
  if (!choices) return [];
  const lines = ["", `## ${CHOICES_TITLE}`, ""];
  if (choices.length === 0) return [...lines, "None met in this run."];
  lines.push(
    CHOICES_INTRO,
    "",
    "| choice | the target's side | first seen | open because |",
    "|---|---|---|---|",
  );
  for (const choice of choices) {
    lines.push(
      `| ${cell(choice.name)} | **${cell(choice.side)}** | ${cell(choice.where)} | ${cell(choice.open ?? "—")} |`,
    );
  }
  return lines;
}

export function choicesSection(choices: LearnedChoice[] | undefined): SafeHtml | "" {
  if (!choices) return "";
  const rows = choices.map(
    (choice) =>
      html`<tr><th scope="row">${choice.name}</th><td class="choice-side"><strong>${choice.side}</strong></td><td>${choice.where}</td><td class="muted">${choice.open ? prose(choice.open) : "—"}</td></tr>`,
  );
  return html`<section id="choices" aria-labelledby="choices-title">
<h2 id="choices-title">${CHOICES_TITLE}</h2>
${
  rows.length > 0
    ? html`<p class="intro">${CHOICES_INTRO}</p>
<div class="table-wrap"><table class="choices">
<thead><tr><th scope="col">choice</th><th scope="col">the target's side</th><th scope="col">first seen</th><th scope="col">open because</th></tr></thead>
<tbody>
${joinHtml(rows, "\n")}
</tbody>
</table></div>`
    : html`<p>None met in this run.</p>`
}
</section>`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");
}
