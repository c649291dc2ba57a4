/**
 * report.html: one self-contained page a buyer can read. The verdict first, then the rules
 * grouped by area, each failing one open with its rule quoted, the requests as curl, the
 * answers and the counterexamples; then the warnings, the documentation gaps, what was left
 * behind and the command that repeats the run.
 *
 * Everything in a report is text, and some of it (bodies, headers, messages quoting them)
 * comes from the server under test: every piece goes through `escapeHtml`, and the page
 * forbids scripts by its own Content-Security-Policy besides. No JavaScript: <details>
 * expands and collapses.
 */
import type { CheckResult, ExchangeRecord, Finding, Verdict } from "../checks/model.js";
import type { EnumObservation, RunReport } from "./run-report.js";

const FINDINGS_SHOWN = 5;
const IN_ONE_ANSWER_SHOWN = 3;
const BODY_SHOWN = 1_000;

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text to HTML, for element content and quoted attribute values alike. */
export function escapeHtml(value: unknown): string {
  return (
    String(value)
      .replace(/[&<>"']/g, (char) => ENTITIES[char] as string)
      // Control characters have no business in a page: shown as the replacement character.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what this replaces
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "\uFFFD")
  );
}

/** Escapes, then shows `backquoted` spans (as the docs and the profile write names) as code. */
function prose(text: string): string {
  return escapeHtml(text).replace(/`([^`\n]+)`/g, "<code>$1</code>");
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

export function verdictBadge(verdict: Verdict): string {
  return `<span class="badge badge-${escapeHtml(verdict)}">${CHECK_LABEL[verdict] ?? escapeHtml(verdict)}</span>`;
}

export function sourceBadge(source: CheckResult["source"]): string {
  const title =
    source === "docs" ? "a rule of the vendor's published docs" : "a rule of the default profile";
  return `<span class="badge source-${source === "docs" ? "docs" : "profile"}" title="${title}">${source === "docs" ? "docs" : "profile"}</span>`;
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

export function formatCount(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString("en-US") : escapeHtml(n);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The areas rules are grouped in, in the page's order; `section` names where a rule is written. */
const GROUPS = [
  "Responses (every operation)",
  "Authentication",
  "Errors",
  "Lifecycle",
  "The list endpoint",
  "The two ticket shapes",
] as const;

export function ruleGroup(section: string): string {
  if (section.startsWith("docs:")) return GROUPS[0];
  const first = (section.replace(/^PROFILE\.md\s*/, "").split(/[;,]/)[0] ?? "").trim();
  if (first === "Enumerations") return GROUPS[0];
  return first === "" ? "Other rules" : first;
}

function groupChecks(checks: CheckResult[]): [string, CheckResult[]][] {
  const groups = new Map<string, CheckResult[]>(GROUPS.map((name) => [name, []]));
  for (const check of checks) {
    const name = ruleGroup(check.section);
    groups.set(name, [...(groups.get(name) ?? []), check]);
  }
  return [...groups].filter(([, members]) => members.length > 0);
}

export function checkAnchor(id: string): string {
  return `check-${id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

export function htmlReport(report: RunReport): string {
  const failing = report.checks.filter((check) => check.verdict === "fail");
  const warned = report.checks.filter((check) => check.warnings.length > 0);
  const title = `${VERDICT_LABEL[report.verdict]}: Tickets API conformance of ${report.target.baseUrl}`;
  const body = [
    banner(report, failing),
    `<nav class="toc" aria-label="On this page"><span>On this page:</span> <a href="#rules">Verdict per rule</a> · <a href="#warnings">Warnings (${formatCount(report.counts.warn)})</a> · <a href="#gaps">Documentation gaps</a> · <a href="#leftovers">Left behind</a> · <a href="#replay">Replay</a></nav>`,
    "<main>",
    rulesSection(report),
    warningsSection(warned),
    gapsSection(report.enums),
    leftoversSection(report.leftovers),
    replaySection(report),
    "</main>",
    `<footer class="page-footer"><p>Written by tickets-api-harness from <code>results.json</code> (<code>${escapeHtml(report.format)}</code>), run <code>${escapeHtml(report.runId)}</code>. Every rule is quoted from the vendor's docs (<span class="badge source-docs">docs</span>) or, where they are silent, from the default profile (<span class="badge source-profile">profile</span>).</p></footer>`,
  ].join("\n");
  return htmlPage(title, body);
}

/** The page around a body: inline style, no script, nothing fetched. */
export function htmlPage(title: string, body: string): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    "</head>",
    "<body>",
    '<div class="page">',
    body,
    "</div>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function banner(report: RunReport, failing: CheckResult[]): string {
  const { counts } = report;
  const total = report.checks.length;
  const aside = [
    counts.warn > 0 ? plural(counts.warn, "with warnings", "with warnings") : "",
    counts.skip > 0 ? `${formatCount(counts.skip)} skipped` : "",
  ].filter(Boolean);
  const extra = aside.length > 0 ? ` (${aside.join(", ")})` : "";
  const sentence =
    report.verdict === "fail"
      ? `The target broke ${formatCount(counts.fail)} of the ${plural(total, "rule")} checked${extra}.`
      : report.verdict === "pass"
        ? `The target kept all ${plural(counts.pass + counts.warn, "rule")} checked${extra}.`
        : `The run did not complete: ${escapeHtml(report.incomplete ?? "no reason recorded")}.`;
  const broken =
    failing.length > 0
      ? `<p class="broken">Broken: ${failing.map((check) => `<a href="#${checkAnchor(check.id)}"><code>${escapeHtml(check.id)}</code></a>`).join(", ")}</p>`
      : "";
  const incomplete =
    report.incomplete && report.verdict !== "incomplete"
      ? `<p class="broken">The run did not complete: ${escapeHtml(report.incomplete)}</p>`
      : "";
  const stat = (value: string, label: string, kind = "") =>
    `<div class="stat${kind ? ` stat-${kind}` : ""}"><span class="stat-value">${value}</span> <span class="stat-label">${label}</span></div>`;
  return `<header class="banner banner-${escapeHtml(report.verdict)}">
<p class="eyebrow">Tickets API conformance report</p>
<h1><span class="visually-hidden">Verdict: </span><span class="verdict-word">${VERDICT_LABEL[report.verdict] ?? escapeHtml(report.verdict)}</span></h1>
<p class="sentence">${sentence}</p>
${broken}${incomplete}
<div class="stats">
${stat(formatCount(counts.pass), "passed", "pass")}
${stat(formatCount(counts.fail), "failed", "fail")}
${stat(formatCount(counts.warn), "warned", "warn")}
${stat(formatCount(counts.skip), "skipped", "skip")}
${stat(formatCount(report.requests), "requests")}
${stat(escapeHtml(formatDuration(report.durationMs)), "duration")}
</div>
<dl class="facts">
<div><dt>Target</dt><dd><code>${escapeHtml(report.target.baseUrl)}</code>${report.target.embedded ? " (the embedded reference server)" : ""}</dd></div>
<div><dt>Seed</dt><dd><code>${escapeHtml(report.seed)}</code></dd></div>
<div><dt>Started</dt><dd><time datetime="${escapeHtml(report.startedAt)}">${escapeHtml(formatDate(report.startedAt))}</time></dd></div>
<div><dt>Mode</dt><dd>${report.readOnly ? "read-only (GETs only)" : "read-write"}, ${plural(report.runs, "run")} per property</dd></div>
</dl>
</header>`;
}

function rulesSection(report: RunReport): string {
  const groups = groupChecks(report.checks).map(([name, checks]) => {
    const broken = checks.filter((check) => check.verdict === "fail").length;
    const tally =
      broken > 0 ? `${broken} of ${checks.length} failed` : plural(checks.length, "rule");
    return `<section class="group" aria-labelledby="${groupAnchor(name)}">
<h3 id="${groupAnchor(name)}">${escapeHtml(name)} <span class="group-tally">${escapeHtml(tally)}</span></h3>
<div class="check-head" aria-hidden="true"><span>verdict</span><span>check</span><span>rule from</span><span>requests</span></div>
${checks.map((check) => checkBlock(check, report.requests)).join("\n")}
</section>`;
  });
  return `<section id="rules" aria-labelledby="rules-title">
<h2 id="rules-title">Verdict per rule</h2>
<p class="intro">One row per check. A failing check is open: its rule, quoted from where it is written, then each finding with the request that shows it (as <code>curl</code>; the API key is read from <code>$TICKETS_API_KEY</code>) and the answer. Open any other row to read its rule.</p>
${groups.join("\n")}
</section>`;
}

function groupAnchor(name: string): string {
  return `group-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}

function checkBlock(check: CheckResult, runRequests: number): string {
  const passive = check.passive === true;
  const requests = passive
    ? `<span class="requests" title="sends nothing itself: judges every response of the run (${formatCount(runRequests)})">every response</span>`
    : `<span class="requests">${plural(check.requests, "request")}</span>`;
  return `<details class="check check-${escapeHtml(check.verdict)}" id="${checkAnchor(check.id)}"${check.verdict === "fail" ? " open" : ""}>
<summary><span class="check-verdict">${verdictBadge(check.verdict)}</span><span class="check-name"><code class="check-id">${escapeHtml(check.id)}</code> <span class="check-title">${prose(check.title)}</span></span><span class="check-source">${sourceBadge(check.source)}</span>${requests}</summary>
<div class="check-body">
${ruleQuote(check)}
${check.skippedBecause ? `<p class="skipped">Skipped: ${escapeHtml(check.skippedBecause)}</p>` : ""}
${check.verdict === "pass" ? `<p class="kept">Kept in ${passive ? "every response of the run" : plural(check.requests, "request")}.</p>` : ""}
${findingsBlock(check.failures, check.failureCount, "failure")}
${findingsBlock(check.warnings, check.warningCount, "warning")}
</div>
</details>`;
}

function ruleQuote(check: CheckResult): string {
  const where = check.source === "docs" ? "the vendor's docs" : "the default profile (PROFILE.md)";
  return `<figure class="rule">
<blockquote><p>${prose(check.rule)}</p></blockquote>
<figcaption>${sourceBadge(check.source)} <cite>${escapeHtml(check.section)}</cite> <span class="muted">(${where})</span></figcaption>
</figure>`;
}

function findingsBlock(findings: Finding[], count: number, kind: "failure" | "warning"): string {
  if (findings.length === 0) return "";
  const groups = byExchange(unique(findings));
  const shown = groups.slice(0, FINDINGS_SHOWN).map((group) => findingBlock(group, kind));
  const rest = groups.slice(FINDINGS_SHOWN);
  const restCount = rest.reduce((sum, group) => sum + group.length, 0);
  const more =
    rest.length > 0
      ? `<details class="more"><summary>${plural(restCount, `more ${kind}`)}</summary>\n<ol class="findings findings-${kind}" start="${FINDINGS_SHOWN + 1}">\n${rest.map((group) => findingBlock(group, kind)).join("\n")}\n</ol>\n</details>`
      : "";
  const kept =
    count > findings.length
      ? `<p class="muted kept-note">results.json keeps the first ${formatCount(findings.length)}; those with the same message are shown once, those of the same request together.</p>`
      : "";
  return `<h4 class="findings-title">${plural(count, kind)}</h4>
${kept}
<ol class="findings findings-${kind}">
${shown.join("\n")}
</ol>
${more}`;
}

/**
 * Findings about one request (e.g. the same wrong value in every item of a page) go
 * together: the request and its answer are shown once, under all their messages.
 */
function byExchange(findings: Finding[]): Finding[][] {
  const groups: Finding[][] = [];
  const byKey = new Map<string, Finding[]>();
  for (const finding of findings) {
    const { exchange } = finding;
    const key =
      exchange && !finding.counterexample
        ? JSON.stringify([exchange.curl, exchange.status, exchange.responseBody, exchange.error])
        : undefined;
    const group = key === undefined ? undefined : byKey.get(key);
    if (group) {
      group.push(finding);
      continue;
    }
    const created = [finding];
    groups.push(created);
    if (key !== undefined) byKey.set(key, created);
  }
  return groups;
}

function findingBlock(group: Finding[], kind: "failure" | "warning"): string {
  const [first] = group as [Finding, ...Finding[]];
  const said = group.map(statement);
  const parts =
    said.length === 1
      ? [said[0] as string]
      : [
          `<p class="label">${formatCount(group.length)} ${kind}s in one answer</p>`,
          `<ul class="same-exchange">\n${said
            .slice(0, IN_ONE_ANSWER_SHOWN)
            .map((text) => `<li>${text}</li>`)
            .join("\n")}\n</ul>`,
          said.length > IN_ONE_ANSWER_SHOWN
            ? `<details class="more"><summary>${plural(said.length - IN_ONE_ANSWER_SHOWN, `more ${kind}`)} in this answer</summary>\n<ul class="same-exchange">\n${said
                .slice(IN_ONE_ANSWER_SHOWN)
                .map((text) => `<li>${text}</li>`)
                .join("\n")}\n</ul>\n</details>`
            : "",
        ];
  if (first.exchange) parts.push(exchangeBlock(first.exchange));
  if (first.counterexample) {
    const { counterexample } = first;
    parts.push(
      `<div class="counterexample"><p class="label">Counterexample <span class="muted">(shrunk by fast-check; seed ${escapeHtml(counterexample.seed)}, path <code>${escapeHtml(counterexample.path)}</code>)</span></p>`,
      `<pre class="value"><code>${escapeHtml(counterexample.value)}</code></pre>`,
      '<p class="label">Replay it</p>',
      command(counterexample.replay),
      "</div>",
    );
  }
  return `<li class="finding finding-${kind}">${parts.filter(Boolean).join("\n")}</li>`;
}

/** A finding's message, with what was expected and what came. */
function statement(finding: Finding): string {
  const parts = [`<p class="finding-message">${prose(finding.message)}</p>`];
  if (finding.expected !== undefined || finding.actual !== undefined) {
    parts.push(
      '<dl class="expect">',
      finding.expected !== undefined
        ? `<div><dt>expected</dt><dd><code>${escapeHtml(finding.expected)}</code></dd></div>`
        : "",
      finding.actual !== undefined
        ? `<div><dt>actual</dt><dd><code>${escapeHtml(finding.actual)}</code></dd></div>`
        : "",
      "</dl>",
    );
  }
  return parts.filter(Boolean).join("\n");
}

function exchangeBlock(exchange: ExchangeRecord): string {
  const operation = exchange.operationId
    ? ` <span class="muted">(${escapeHtml(exchange.operationId)})</span>`
    : "";
  const lines = [`<p class="label">Request${operation}</p>`, command(exchange.curl)];
  if (exchange.status === undefined) {
    lines.push(
      `<p class="label">No answer <span class="muted">after ${escapeHtml(formatDuration(exchange.durationMs))}</span></p>`,
      `<pre class="body"><code>${escapeHtml(exchange.error ?? "no answer recorded")}</code></pre>`,
    );
  } else {
    const type = exchange.responseHeaders?.["content-type"];
    const body = exchange.responseBody ?? "";
    const cut = body.length > BODY_SHOWN ? `${body.slice(0, BODY_SHOWN)}…` : body;
    lines.push(
      `<p class="label">Answer: <span class="status status-${Math.floor(exchange.status / 100)}xx">${escapeHtml(exchange.status)}</span>${type ? ` <code>${escapeHtml(type)}</code>` : ""} <span class="muted">in ${escapeHtml(formatDuration(exchange.durationMs))}${body.length > BODY_SHOWN ? `; body cut at ${formatCount(BODY_SHOWN)} characters` : ""}</span></p>`,
      body === ""
        ? '<p class="muted">(empty body)</p>'
        : `<pre class="body"><code>${escapeHtml(cut)}</code></pre>`,
    );
  }
  return `<div class="exchange">${lines.join("\n")}</div>`;
}

/** A command to paste: monospace, wrapped, one click selects it whole. */
export function command(text: string): string {
  return `<pre class="command"><code>${escapeHtml(text)}</code></pre>`;
}

function warningsSection(warned: CheckResult[]): string {
  const items = warned.flatMap((check) => {
    const messages = unique(check.warnings).slice(0, FINDINGS_SHOWN);
    const more =
      check.warningCount > messages.length
        ? [
            `<li><a href="#${checkAnchor(check.id)}"><code>${escapeHtml(check.id)}</code></a>: … ${formatCount(check.warningCount)} in all</li>`,
          ]
        : [];
    return [
      ...messages.map(
        (warning) =>
          `<li><a href="#${checkAnchor(check.id)}"><code>${escapeHtml(check.id)}</code></a>: ${prose(warning.message)}</li>`,
      ),
      ...more,
    ];
  });
  return `<section id="warnings" aria-labelledby="warnings-title">
<h2 id="warnings-title">Warnings</h2>
${items.length > 0 ? `<p class="intro">Not failures: things a buyer should know, e.g. fields the docs do not list.</p>\n<ul class="warnings">\n${items.join("\n")}\n</ul>` : "<p>None.</p>"}
</section>`;
}

function gapsSection(enums: EnumObservation[]): string {
  const values = (list: (string | null)[], kind = "") =>
    list.length === 0
      ? '<span class="none" aria-label="none">—</span>'
      : list
          .map(
            (value) =>
              `<code class="value${kind}">${value === null ? "null" : escapeHtml(JSON.stringify(value))}</code>`,
          )
          .join(" ");
  const rows = enums.map(
    (gap) =>
      `<tr${gap.unexpected.length > 0 ? ' class="gap"' : ""}><th scope="row"><code>${escapeHtml(gap.field)}</code></th><td>${values(gap.expected)}</td><td>${values(gap.observed)}</td><td>${values(gap.unexpected, " value-unexpected")}</td><td>${values(gap.unseen, " value-unseen")}</td></tr>`,
  );
  return `<section id="gaps" aria-labelledby="gaps-title">
<h2 id="gaps-title">Documentation gaps: enum values observed</h2>
<p class="intro">The values the contract expects for these fields (where the docs list none, the profile's or the vendor config's) against those the target sent. A value <em>not in the contract</em> is a bug or a gap in the docs; <em>never seen</em> only means this run did not meet it.</p>
${
  rows.length > 0
    ? `<div class="table-wrap"><table class="gaps">
<thead><tr><th scope="col">field</th><th scope="col">the contract expects</th><th scope="col">observed</th><th scope="col">not in the contract</th><th scope="col">never seen</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table></div>`
    : "<p>No enum field was observed.</p>"
}
</section>`;
}

function leftoversSection(leftovers: string[]): string {
  return `<section id="leftovers" aria-labelledby="leftovers-title">
<h2 id="leftovers-title">Left behind on the target</h2>
${
  leftovers.length > 0
    ? `<p class="intro">The run could not undo these; clean them up by hand.</p>\n<ul class="leftovers">\n${leftovers.map((leftover) => `<li>${escapeHtml(leftover)}</li>`).join("\n")}\n</ul>`
    : "<p>Nothing: the run cleaned up after itself.</p>"
}
</section>`;
}

function replaySection(report: RunReport): string {
  const sources = Object.entries(report.fixtureSources);
  return `<section id="replay" aria-labelledby="replay-title">
<h2 id="replay-title">Replay this run</h2>
<p class="intro">Same seed, same requests (set <code>TICKETS_API_KEY</code> first):</p>
${command(report.replay)}
<dl class="about">
<div><dt>Run id</dt><dd><code>${escapeHtml(report.runId)}</code></dd></div>
<div><dt>Exit code</dt><dd><code>${escapeHtml(report.exitCode)}</code></dd></div>
${sources.length > 0 ? `<div><dt>Fixture ids</dt><dd>${sources.map(([key, source]) => `<code>${escapeHtml(key)}</code> from ${escapeHtml(source)}`).join("; ")}</dd></div>` : ""}
</dl>
</section>`;
}

function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => !seen.has(finding.message) && seen.add(finding.message));
}

/** The style of every page the harness writes (report.html, comparison.html). */
export const PAGE_STYLE = `
:root {
  --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --paper: #ffffff; --wash: #f6f8fa;
  --pass: #1a7f37; --pass-bg: #dafbe1; --pass-ink: #0f5323;
  --fail: #b3261e; --fail-bg: #ffebe9; --fail-ink: #8c1c16;
  --warn: #8a5a00; --warn-bg: #fff4d4; --warn-ink: #6b4500;
  --skip-bg: #eaeef2; --skip-ink: #424a53;
  --docs-ink: #0b4f9c; --docs-bg: #ddf4ff; --profile-ink: #6a2ea8; --profile-bg: #f3e8ff;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--wash); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.page { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
main { display: block; }
h1, h2, h3, h4 { line-height: 1.25; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 0.6rem; padding-bottom: 0.3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.6rem 0 0.4rem; }
h4 { font-size: 0.95rem; margin: 1rem 0 0.4rem; }
a { color: #0a58b8; }
a:focus-visible, summary:focus-visible { outline: 3px solid #0a58b8; outline-offset: 2px; }
code, pre { font-family: var(--mono); font-size: 0.86em; }
code { overflow-wrap: anywhere; }
pre code { background: none !important; padding: 0 !important; font-size: 1em; }
p code, li code, td code, dd code, cite code { background: rgba(175, 184, 193, 0.2); padding: 0.05em 0.3em; border-radius: 4px; }
.muted { color: var(--muted); }
.intro { color: var(--muted); max-width: 80ch; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.banner { border-radius: 12px; padding: 22px 28px 20px; color: #fff; background: var(--skip-ink); -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.banner-pass { background: var(--pass); }
.banner-fail { background: var(--fail); }
.banner-incomplete { background: var(--warn); }
.banner a { color: #fff; }
.banner code { background: rgba(255, 255, 255, 0.18); color: #fff; }
.eyebrow { margin: 0; font-size: 0.85rem; letter-spacing: 0.08em; text-transform: uppercase; opacity: 0.92; }
.banner h1 { margin: 0.1rem 0 0.2rem; font-size: 3.4rem; letter-spacing: 0.04em; }
.sentence { margin: 0; font-size: 1.2rem; }
.broken { margin: 0.4rem 0 0; }
.stats { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0 12px; }
.stat { background: rgba(255, 255, 255, 0.16); border: 1px solid rgba(255, 255, 255, 0.35); border-radius: 8px; padding: 6px 14px; min-width: 96px; }
.stat-value { display: block; font-size: 1.5rem; font-weight: 700; line-height: 1.2; }
.stat-label { font-size: 0.85rem; }
.facts, .about { display: flex; flex-wrap: wrap; gap: 6px 44px; margin: 0; }
.facts dt, .about dt { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.06em; opacity: 0.85; }
.facts dd, .about dd { margin: 0; overflow-wrap: anywhere; }
.about { margin-top: 12px; }
.toc { margin: 14px 2px 0; color: var(--muted); }
.toc span { font-weight: 600; }
.badge { display: inline-block; border-radius: 999px; padding: 0.05em 0.65em; font-size: 0.8rem; font-weight: 600; white-space: nowrap; border: 1px solid transparent; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.badge-pass { background: var(--pass-bg); color: var(--pass-ink); border-color: #9fd8ae; }
.badge-fail { background: var(--fail-bg); color: var(--fail-ink); border-color: #f2a8a2; }
.badge-warn { background: var(--warn-bg); color: var(--warn-ink); border-color: #e8c872; }
.badge-skip, .badge-none { background: var(--skip-bg); color: var(--skip-ink); border-color: #c9d1d9; }
.source-docs { background: var(--docs-bg); color: var(--docs-ink); border-color: #9ccff5; }
.source-profile { background: var(--profile-bg); color: var(--profile-ink); border-color: #d5b8f5; }
.group-tally { font-weight: 400; font-size: 0.85rem; color: var(--muted); margin-left: 0.4em; }
.check-head, .check > summary { display: grid; grid-template-columns: 92px minmax(0, 1fr) 84px 132px; gap: 12px; align-items: baseline; }
.check-head { padding: 0 14px 4px 39px; font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); }
.check { background: var(--paper); border: 1px solid var(--line); border-left: 5px solid var(--line); border-radius: 8px; margin: 6px 0; }
.check-fail { border-color: #f2a8a2; border-left-color: var(--fail); }
.check-warn { border-left-color: #d4a72c; }
.check > summary { cursor: pointer; padding: 9px 14px 9px 34px; list-style: none; position: relative; }
.check > summary::-webkit-details-marker { display: none; }
.check > summary::before { content: "▸"; position: absolute; left: 14px; top: 9px; color: var(--muted); }
.check[open] > summary::before { content: "▾"; }
.check[open] > summary { border-bottom: 1px solid var(--line); }
.check-id { font-weight: 700; font-size: 0.9rem; }
.check-title { display: block; color: var(--muted); font-size: 0.92rem; }
.requests { color: var(--muted); font-size: 0.88rem; text-align: right; white-space: nowrap; }
.check-body { padding: 4px 18px 14px 34px; }
.rule { margin: 10px 0 8px; }
.rule blockquote { margin: 0; padding: 8px 14px; border-left: 4px solid var(--line); background: var(--wash); border-radius: 0 6px 6px 0; font-size: 0.98rem; }
.rule blockquote p { margin: 0; }
.rule figcaption { margin-top: 4px; font-size: 0.88rem; }
.rule cite { font-style: normal; font-weight: 600; }
.kept, .skipped { margin: 6px 0; color: var(--muted); }
.findings { padding-left: 1.4em; margin: 0; }
.finding { margin: 0 0 14px; padding: 10px 14px; border: 1px solid var(--line); border-radius: 8px; background: #fcfcfd; }
.finding-failure { border-left: 3px solid var(--fail); }
.finding-warning { border-left: 3px solid #d4a72c; }
.same-exchange { margin: 0 0 6px; padding-left: 1.2em; }
.kept-note { margin: 0 0 6px; font-size: 0.88rem; }
.finding-message { margin: 0 0 6px; font-weight: 600; overflow-wrap: anywhere; }
.expect { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 4px 0 8px; }
.expect > div { display: contents; }
.expect dt { color: var(--muted); font-size: 0.85rem; }
.expect dd { margin: 0; }
.label { margin: 8px 0 2px; font-size: 0.85rem; font-weight: 600; }
pre { margin: 0 0 6px; padding: 8px 12px; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word; }
pre.command { background: #0d1117; color: #e6edf3; user-select: all; -webkit-user-select: all; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
pre.body, pre.value { background: var(--wash); border: 1px solid var(--line); max-height: 18em; overflow: auto; }
.status { font-family: var(--mono); font-weight: 700; padding: 0 0.4em; border-radius: 4px; background: var(--skip-bg); }
.status-2xx { background: var(--pass-bg); color: var(--pass-ink); }
.status-4xx { background: var(--warn-bg); color: var(--warn-ink); }
.status-5xx { background: var(--fail-bg); color: var(--fail-ink); }
details.more > summary { cursor: pointer; color: #0a58b8; margin: 4px 0 8px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; background: var(--paper); border: 1px solid var(--line); }
th, td { text-align: left; vertical-align: top; padding: 7px 10px; border-bottom: 1px solid var(--line); }
thead th { background: var(--wash); font-size: 0.85rem; }
tr.gap { background: #fff8f7; }
.gaps th[scope="row"] code { white-space: nowrap; overflow-wrap: normal; }
.value-unexpected { background: var(--fail-bg) !important; color: var(--fail-ink); font-weight: 700; }
.value-unseen { color: var(--muted); }
.none { color: var(--muted); }
.warnings li, .leftovers li { margin: 3px 0; overflow-wrap: anywhere; }
.page-footer { margin-top: 40px; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); }
.sub { display: block; font-weight: 400; color: var(--muted); font-size: 0.8rem; }
.banner-neutral { background: #24292f; }
.banner h1.compare-title { font-size: 2.4rem; letter-spacing: 0; }
.compare .run-label { display: block; font-size: 1rem; }
.compare th[scope="row"] { min-width: 260px; }
.compare .count { font-size: 0.85rem; font-weight: 600; }
.compare .run-verdict { font-size: 0.95rem; }
.compare a { text-decoration: none; }
.compare tr.differs > th[scope="row"] { box-shadow: inset 4px 0 0 #d4a72c; }
.compare td.cell { white-space: nowrap; }
.compare .first-failure { display: block; white-space: normal; color: var(--muted); font-size: 0.8rem; max-width: 34ch; overflow-wrap: anywhere; }
.compare tr.overall th, .compare tr.overall td { background: var(--wash); font-weight: 700; }
@media (max-width: 760px) {
  .check-head { display: none; }
  .check > summary { grid-template-columns: 1fr; gap: 2px; }
  .requests { text-align: left; }
}
@media print {
  body { background: #fff; font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  .toc { display: none; }
  .check:not([open]), .finding, .rule, tr { break-inside: avoid; }
  pre.body, pre.value { max-height: none; overflow: visible; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
}
`;
