/**
 * The page every HTML report of the harness is (report.html, comparison.html, and the load
 * test's bench.html): one self-contained file, its style inline, nothing fetched, and a
 * Content-Security-Policy that forbids scripts, unless the page brings one inline script of
 * its own (the bench report's charts), which the policy then allows by its hash and no other.
 * Around it, the pieces the reports share: the banner, the footer, the badges, the numbers
 * and dates as every reader sees them.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CheckResult, Verdict } from "../../checks/model.js";
import type { Leftover, RunReport } from "../../checks/results.js";
import { packageRoot } from "../../util/package-root.js";
import { leftoverId } from "../leftovers.js";
import { type HtmlValue, html, joinHtml, raw, type SafeHtml } from "./html.js";

/** Beside this file in the package (tsc does not copy it into dist/; package.json ships it). */
const STYLE_FILE = join(packageRoot(), "src", "report", "page", "page.css");
let style: string | undefined;

/** page.css, read once per process. */
export function pageStyle(): string {
  if (style === undefined) {
    const text = readFileSync(STYLE_FILE, "utf8");
    if (/<\/style/i.test(text)) {
      throw new Error(`${STYLE_FILE} holds "</style": it would end the page's style`);
    }
    style = text;
  }
  return style;
}

export interface PageOptions {
  /** Text: escaped. */
  title: string;
  body: HtmlValue;
  /**
   * One inline script, the page's own code (e.g. a charting library and the code that draws
   * with it), allowed by its sha256 in the page's policy; no other script runs. Never text
   * from a run: data goes into it through `scriptJson`. Without it, the page runs no script.
   */
  script?: string;
  /** More CSS, the page's own (a report's and its charting library's), after page.css. */
  style?: string;
}

/** The page around a body: inline style, no script (or only its own), nothing fetched. */
export function htmlPage({ title, body, script, style }: PageOptions): string {
  let scriptSrc: SafeHtml | undefined;
  let scriptTag: SafeHtml | undefined;
  if (script !== undefined) {
    if (/<\/script|<!--/i.test(script)) {
      throw new Error(
        'an inline script cannot hold "</script" or "<!--": escape them in its strings',
      );
    }
    const hash = createHash("sha256").update(script, "utf8").digest("base64");
    scriptSrc = html` script-src 'sha256-${hash}';`;
    scriptTag = html`<script>${raw(script)}</script>\n`;
  }
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none';${scriptSrc} style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>
${raw(pageStyle())}${style === undefined ? "" : raw(style)}</style>
</head>
<body>
<div class="page">
${body}
</div>
${scriptTag}</body>
</html>
`.toString();
}

/**
 * A value as a JavaScript literal to put into a page's own script: JSON, with `<`, `>`, `&`
 * and the two line separators written as \u escapes, so that no text in it can end the
 * script or start markup.
 */
export function scriptJson(value: unknown): string {
  return (JSON.stringify(value) ?? "null").replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, "0")}`,
  );
}

/** The coloured header of a page: `tone` picks the colour (pass, fail, incomplete, neutral). */
export function banner(tone: string, eyebrow: HtmlValue, content: HtmlValue): SafeHtml {
  return html`<header class="banner banner-${tone}">
<p class="eyebrow">${eyebrow}</p>
${content}
</header>`;
}

/** One figure of a banner: `12 passed`. */
export function stat(value: HtmlValue, label: HtmlValue, kind = ""): SafeHtml {
  return html`<div class="stat${kind ? ` stat-${kind}` : ""}"><span class="stat-value">${value}</span> <span class="stat-label">${label}</span></div>`;
}

/**
 * What a run could not undo on the target: the same section in every report that writes.
 * One row an item: what it is, its id, why it is left, the curl that cleans it by hand.
 */
export function leftoversSection(leftovers: Leftover[]): SafeHtml {
  return html`<section id="leftovers" aria-labelledby="leftovers-title">
<h2 id="leftovers-title">Left behind on the target</h2>
${
  leftovers.length > 0
    ? html`<p class="intro">The run could not undo these, or could not confirm them undone. Each command cleans one by hand (set the key's variable first); <code>tickets-harness cleanup --journal journal.json</code> tries them all again.</p>
<div class="table-wrap"><table class="leftovers">
<thead><tr><th scope="col">What</th><th scope="col">Id</th><th scope="col">Why</th><th scope="col">Clean it by hand</th></tr></thead>
<tbody>
${joinHtml(
  leftovers.map(
    (leftover) =>
      html`<tr><td class="leftover-kind">${leftover.kind}</td><td class="leftover-id">${
        leftover.kind === "tag"
          ? html`<code>${leftover.tagId}</code> on ticket <code>${leftover.ticketId}</code>`
          : html`<code>${leftoverId(leftover)}</code>`
      }</td><td class="leftover-reason">${leftover.reason}</td><td class="leftover-curl"><code>${leftover.curl}</code></td></tr>`,
  ),
  "\n",
)}
</tbody>
</table></div>`
    : html`<p>Nothing: the run cleaned up after itself.</p>`
}
</section>`;
}

export function pageFooter(content: HtmlValue): SafeHtml {
  return html`<footer class="page-footer"><p>${content}</p></footer>`;
}

export const VERDICT_LABEL: Record<RunReport["verdict"], string> = {
  pass: "PASS",
  fail: "FAIL",
  incomplete: "INCOMPLETE",
};
const CHECK_LABEL: Record<Verdict, string> = {
  pass: "✓ pass",
  fail: "✗ fail",
  warn: "! warn",
  skip: "– skip",
};

export function verdictBadge(verdict: Verdict): SafeHtml {
  return html`<span class="badge badge-${verdict}">${CHECK_LABEL[verdict] ?? verdict}</span>`;
}

export function sourceBadge(source: CheckResult["source"]): SafeHtml {
  return source === "docs"
    ? html`<span class="badge source-docs" title="a rule of the vendor's published docs">docs</span>`
    : html`<span class="badge source-profile" title="a rule of the default profile">profile</span>`;
}

/** Escapes, then shows `backquoted` spans (as the docs and the profile write names) as code. */
export function prose(text: string): SafeHtml {
  // split() with a capturing group: the code spans are at the odd places.
  const parts = text.split(/`([^`\n]+)`/);
  return joinHtml(
    parts.map((part, index) => (index % 2 === 1 ? html`<code>${part}</code>` : part)),
  );
}

/** A command to paste: monospace, wrapped, one click selects it whole. */
export function command(text: string): SafeHtml {
  return html`<pre class="command"><code>${text}</code></pre>`;
}

/** `2026-11-27T18:20:44.342Z` -> `2026-11-27 18:20:44 UTC` (the same for every reader). */
export function formatDate(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** `12,345`: text, escaped where it is shown (Markdown uses it too). */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString("en-US") : String(n);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
