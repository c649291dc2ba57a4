/**
 * report.html: one self-contained page a buyer can read. The verdict first, then the rules
 * grouped by area, each failing one open with its rule quoted, the requests as curl, the
 * answers and the counterexamples; then the warnings, the documentation gaps, what the run
 * covered, what was left behind and the command that repeats the run.
 *
 * Everything in a report is text, and some of it (bodies, headers, messages quoting them)
 * comes from the server under test: the page is built with the `html` template of the page
 * kit (./page/), which escapes every interpolation, and it forbids scripts by its own
 * Content-Security-Policy besides. No JavaScript: <details> expands and collapses.
 */
import type { CheckResult, ExchangeRecord, Finding } from "../checks/model.js";
import type { EnumObservation, RunReport } from "../checks/results.js";
import { choicesSection } from "./choices.js";
import { coverageSection } from "./coverage.js";
import { type HtmlValue, html, joinHtml, type SafeHtml } from "./page/html.js";
import {
  banner,
  command,
  formatCount,
  formatDate,
  formatDuration,
  htmlPage,
  leftoversSection,
  pageFooter,
  plural,
  prose,
  sourceBadge,
  stat,
  VERDICT_LABEL,
  verdictBadge,
} from "./page/page.js";

const FINDINGS_SHOWN = 5;
const IN_ONE_ANSWER_SHOWN = 3;
const BODY_SHOWN = 1_000;

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

/** The id of a check's row in report.html (the comparison links to it). */
export function checkAnchor(id: string): string {
  return `check-${id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

export function htmlReport(report: RunReport): string {
  const failing = report.checks.filter((check) => check.verdict === "fail");
  const warned = report.checks.filter((check) => check.warnings.length > 0);
  const title = `${VERDICT_LABEL[report.verdict]}: Tickets API conformance of ${report.target.baseUrl}`;
  const body = joinHtml(
    [
      verdictBanner(report, failing),
      html`<nav class="toc" aria-label="On this page"><span>On this page:</span> <a href="#rules">Verdict per rule</a> · <a href="#warnings">Warnings (${formatCount(report.counts.warn)})</a> · <a href="#gaps">Documentation gaps</a>${report.coverage ? html` · <a href="#coverage">Coverage</a>` : ""}${report.choices ? html` · <a href="#choices">Choices</a>` : ""} · <a href="#leftovers">Left behind</a> · <a href="#replay">Replay</a></nav>`,
      html`<main>`,
      rulesSection(report),
      warningsSection(warned),
      gapsSection(report.enums),
      coverageSection(report.coverage),
      choicesSection(report.choices),
      leftoversSection(report.leftovers),
      replaySection(report),
      html`</main>`,
      pageFooter(
        html`Written by tickets-api-harness from <code>results.json</code> (<code>${report.format}</code>), run <code>${report.runId}</code>. Every rule is quoted from the vendor's docs (<span class="badge source-docs">docs</span>) or, where they are silent, from the default profile (<span class="badge source-profile">profile</span>).`,
      ),
    ],
    "\n",
  );
  return htmlPage({ title, body });
}

function verdictBanner(report: RunReport, failing: CheckResult[]): SafeHtml {
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
        : `The run did not complete: ${report.incomplete ?? "no reason recorded"}.`;
  const broken =
    failing.length > 0
      ? html`<p class="broken">Broken: ${joinHtml(
          failing.map(
            (check) => html`<a href="#${checkAnchor(check.id)}"><code>${check.id}</code></a>`,
          ),
          ", ",
        )}</p>`
      : "";
  const incomplete =
    report.incomplete && report.verdict !== "incomplete"
      ? html`<p class="broken">The run did not complete: ${report.incomplete}</p>`
      : "";
  return banner(
    report.verdict,
    "Tickets API conformance report",
    html`<h1><span class="visually-hidden">Verdict: </span><span class="verdict-word">${VERDICT_LABEL[report.verdict] ?? report.verdict}</span></h1>
<p class="sentence">${sentence}</p>
${broken}${incomplete}
<div class="stats">
${stat(formatCount(counts.pass), "passed", "pass")}
${stat(formatCount(counts.fail), "failed", "fail")}
${stat(formatCount(counts.warn), "warned", "warn")}
${stat(formatCount(counts.skip), "skipped", "skip")}
${stat(formatCount(report.requests), "requests")}
${stat(formatDuration(report.durationMs), "duration")}
</div>
<dl class="facts">
<div><dt>Target</dt><dd><code>${report.target.baseUrl}</code>${report.target.embedded ? " (the embedded reference server)" : ""}</dd></div>
<div><dt>Seed</dt><dd><code>${report.seed}</code></dd></div>
<div><dt>Started</dt><dd><time datetime="${report.startedAt}">${formatDate(report.startedAt)}</time></dd></div>
<div><dt>Mode</dt><dd>${report.readOnly ? "read-only (GETs only)" : "read-write"}, ${plural(report.runs, "run")} per property</dd></div>
</dl>`,
  );
}

function rulesSection(report: RunReport): SafeHtml {
  const groups = groupChecks(report.checks).map(([name, checks]) => {
    const broken = checks.filter((check) => check.verdict === "fail").length;
    const tally =
      broken > 0 ? `${broken} of ${checks.length} failed` : plural(checks.length, "rule");
    return html`<section class="group" aria-labelledby="${groupAnchor(name)}">
<h3 id="${groupAnchor(name)}">${name} <span class="group-tally">${tally}</span></h3>
<div class="check-head" aria-hidden="true"><span>verdict</span><span>check</span><span>rule from</span><span>requests</span></div>
${joinHtml(
  checks.map((check) => checkBlock(check, report.requests)),
  "\n",
)}
</section>`;
  });
  return html`<section id="rules" aria-labelledby="rules-title">
<h2 id="rules-title">Verdict per rule</h2>
<p class="intro">One row per check. A failing check is open: its rule, quoted from where it is written, then each finding with the request that shows it (as <code>curl</code>; the API key is read from <code>$TICKETS_API_KEY</code>) and the answer. Open any other row to read its rule.</p>
${joinHtml(groups, "\n")}
</section>`;
}

function groupAnchor(name: string): string {
  return `group-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}

function checkBlock(check: CheckResult, runRequests: number): SafeHtml {
  const passive = check.passive === true;
  const requests = passive
    ? html`<span class="requests" title="sends nothing itself: judges every response of the run (${formatCount(runRequests)})">every response</span>`
    : html`<span class="requests">${plural(check.requests, "request")}</span>`;
  return html`<details class="check check-${check.verdict}" id="${checkAnchor(check.id)}"${check.verdict === "fail" ? " open" : ""}>
<summary><span class="check-verdict">${verdictBadge(check.verdict)}</span><span class="check-name"><code class="check-id">${check.id}</code> <span class="check-title">${prose(check.title)}</span></span><span class="check-source">${sourceBadge(check.source)}</span>${requests}</summary>
<div class="check-body">
${ruleQuote(check)}
${check.skippedBecause ? html`<p class="skipped">Skipped: ${check.skippedBecause}</p>` : ""}
${check.measured ? html`<p class="measured">Measured: ${check.measured.line}</p>` : ""}
${check.verdict === "pass" ? html`<p class="kept">Kept in ${passive ? "every response of the run" : plural(check.requests, "request")}.</p>` : ""}
${findingsBlock(check.failures, check.failureCount, "failure")}
${findingsBlock(check.warnings, check.warningCount, "warning")}
</div>
</details>`;
}

function ruleQuote(check: CheckResult): SafeHtml {
  const where =
    check.source === "docs" ? html`the vendor's docs` : html`the default profile (PROFILE.md)`;
  return html`<figure class="rule">
<blockquote><p>${prose(check.rule)}</p></blockquote>
<figcaption>${sourceBadge(check.source)} <cite>${check.section}</cite> <span class="muted">(${where})</span></figcaption>
</figure>`;
}

function findingsBlock(findings: Finding[], count: number, kind: "failure" | "warning"): HtmlValue {
  if (findings.length === 0) return "";
  const groups = byExchange(unique(findings));
  const shown = groups.slice(0, FINDINGS_SHOWN).map((group) => findingBlock(group, kind));
  const rest = groups.slice(FINDINGS_SHOWN);
  const restCount = rest.reduce((sum, group) => sum + group.length, 0);
  const more =
    rest.length > 0
      ? html`<details class="more"><summary>${plural(restCount, `more ${kind}`)}</summary>\n<ol class="findings findings-${kind}" start="${FINDINGS_SHOWN + 1}">\n${joinHtml(
          rest.map((group) => findingBlock(group, kind)),
          "\n",
        )}\n</ol>\n</details>`
      : "";
  const kept =
    count > findings.length
      ? html`<p class="muted kept-note">results.json keeps the first ${formatCount(findings.length)}; those with the same message are shown once, those of the same request together.</p>`
      : "";
  return html`<h4 class="findings-title">${plural(count, kind)}</h4>
${kept}
<ol class="findings findings-${kind}">
${joinHtml(shown, "\n")}
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

function findingBlock(group: Finding[], kind: "failure" | "warning"): SafeHtml {
  const [first] = group as [Finding, ...Finding[]];
  const said = group.map(statement);
  const items = (statements: SafeHtml[]) =>
    joinHtml(
      statements.map((text) => html`<li>${text}</li>`),
      "\n",
    );
  const parts: HtmlValue[] =
    said.length === 1
      ? [...said]
      : [
          html`<p class="label">${formatCount(group.length)} ${kind}s in one answer</p>`,
          html`<ul class="same-exchange">\n${items(said.slice(0, IN_ONE_ANSWER_SHOWN))}\n</ul>`,
          said.length > IN_ONE_ANSWER_SHOWN
            ? html`<details class="more"><summary>${plural(said.length - IN_ONE_ANSWER_SHOWN, `more ${kind}`)} in this answer</summary>\n<ul class="same-exchange">\n${items(said.slice(IN_ONE_ANSWER_SHOWN))}\n</ul>\n</details>`
            : "",
        ];
  if (first.exchange) parts.push(exchangeBlock(first.exchange));
  if (first.counterexample) {
    const { counterexample } = first;
    parts.push(
      html`<div class="counterexample"><p class="label">Counterexample <span class="muted">(shrunk by fast-check; seed ${counterexample.seed}, path <code>${counterexample.path}</code>)</span></p>`,
      html`<pre class="value"><code>${counterexample.value}</code></pre>`,
      html`<p class="label">Replay it</p>`,
      command(counterexample.replay),
      html`</div>`,
    );
  }
  return html`<li class="finding finding-${kind}">${joinHtml(parts, "\n")}</li>`;
}

/** A finding's message, with what was expected and what came. */
function statement(finding: Finding): SafeHtml {
  const parts: HtmlValue[] = [html`<p class="finding-message">${prose(finding.message)}</p>`];
  if (finding.expected !== undefined || finding.actual !== undefined) {
    parts.push(
      html`<dl class="expect">`,
      finding.expected !== undefined
        ? html`<div><dt>expected</dt><dd><code>${finding.expected}</code></dd></div>`
        : "",
      finding.actual !== undefined
        ? html`<div><dt>actual</dt><dd><code>${finding.actual}</code></dd></div>`
        : "",
      html`</dl>`,
    );
  }
  return joinHtml(parts, "\n");
}

function exchangeBlock(exchange: ExchangeRecord): SafeHtml {
  const operation = exchange.operationId
    ? html` <span class="muted">(${exchange.operationId})</span>`
    : "";
  const lines: HtmlValue[] = [
    html`<p class="label">Request${operation}</p>`,
    command(exchange.curl),
  ];
  if (exchange.status === undefined) {
    lines.push(
      html`<p class="label">No answer <span class="muted">after ${formatDuration(exchange.durationMs)}</span></p>`,
      html`<pre class="body"><code>${exchange.error ?? "no answer recorded"}</code></pre>`,
    );
  } else {
    const type = exchange.responseHeaders?.["content-type"];
    const body = exchange.responseBody ?? "";
    const cut = body.length > BODY_SHOWN ? `${body.slice(0, BODY_SHOWN)}…` : body;
    lines.push(
      html`<p class="label">Answer: <span class="status status-${Math.floor(exchange.status / 100)}xx">${exchange.status}</span>${type ? html` <code>${type}</code>` : ""} <span class="muted">in ${formatDuration(exchange.durationMs)}${body.length > BODY_SHOWN ? `; body cut at ${formatCount(BODY_SHOWN)} characters` : ""}</span></p>`,
      body === ""
        ? html`<p class="muted">(empty body)</p>`
        : html`<pre class="body"><code>${cut}</code></pre>`,
    );
  }
  return html`<div class="exchange">${joinHtml(lines, "\n")}</div>`;
}

function warningsSection(warned: CheckResult[]): SafeHtml {
  const items = warned.flatMap((check) => {
    const link = html`<a href="#${checkAnchor(check.id)}"><code>${check.id}</code></a>`;
    const messages = unique(check.warnings).slice(0, FINDINGS_SHOWN);
    const more =
      check.warningCount > messages.length
        ? [html`<li>${link}: … ${formatCount(check.warningCount)} in all</li>`]
        : [];
    return [
      ...messages.map((warning) => html`<li>${link}: ${prose(warning.message)}</li>`),
      ...more,
    ];
  });
  return html`<section id="warnings" aria-labelledby="warnings-title">
<h2 id="warnings-title">Warnings</h2>
${items.length > 0 ? html`<p class="intro">Not failures: things a buyer should know, e.g. fields the docs do not list.</p>\n<ul class="warnings">\n${joinHtml(items, "\n")}\n</ul>` : html`<p>None.</p>`}
</section>`;
}

function gapsSection(enums: EnumObservation[]): SafeHtml {
  const values = (list: (string | null)[], kind = "") =>
    list.length === 0
      ? html`<span class="none" aria-label="none">—</span>`
      : joinHtml(
          list.map(
            (value) =>
              html`<code class="value${kind}">${value === null ? "null" : JSON.stringify(value)}</code>`,
          ),
          " ",
        );
  const rows = enums.map(
    (gap) =>
      html`<tr${gap.unexpected.length > 0 ? html` class="gap"` : ""}><th scope="row"><code>${gap.field}</code></th><td>${values(gap.expected)}</td><td>${values(gap.observed)}</td><td>${values(gap.unexpected, " value-unexpected")}</td><td>${values(gap.unseen, " value-unseen")}</td></tr>`,
  );
  return html`<section id="gaps" aria-labelledby="gaps-title">
<h2 id="gaps-title">Documentation gaps: enum values observed</h2>
<p class="intro">The values the contract expects for these fields (where the docs list none, the profile's or the vendor config's) against those the target sent. A value <em>not in the contract</em> is a bug or a gap in the docs; <em>never seen</em> only means this run did not meet it.</p>
${
  rows.length > 0
    ? html`<div class="table-wrap"><table class="gaps">
<thead><tr><th scope="col">field</th><th scope="col">the contract expects</th><th scope="col">observed</th><th scope="col">not in the contract</th><th scope="col">never seen</th></tr></thead>
<tbody>
${joinHtml(rows, "\n")}
</tbody>
</table></div>`
    : html`<p>No enum field was observed.</p>`
}
</section>`;
}

function replaySection(report: RunReport): SafeHtml {
  const sources = Object.entries(report.fixtureSources);
  return html`<section id="replay" aria-labelledby="replay-title">
<h2 id="replay-title">Replay this run</h2>
<p class="intro">Same seed, same requests (set <code>TICKETS_API_KEY</code> first):</p>
${command(report.replay)}
<dl class="about">
<div><dt>Run id</dt><dd><code>${report.runId}</code></dd></div>
<div><dt>Exit code</dt><dd><code>${report.exitCode}</code></dd></div>
${
  sources.length > 0
    ? html`<div><dt>Fixture ids</dt><dd>${joinHtml(
        sources.map(([key, source]) => html`<code>${key}</code> from ${source}`),
        "; ",
      )}</dd></div>`
    : ""
}
</dl>
</section>`;
}

function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => !seen.has(finding.message) && seen.add(finding.message));
}
