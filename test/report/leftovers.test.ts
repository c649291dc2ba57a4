/**
 * What a run left behind, as summary.md, junit.xml and the CLI name it: every item by id,
 * why, and its curl as it is (pipes and backticks from a hostile target included); in
 * junit.xml as the suite's output, not a failure (it changes neither verdict nor exit code).
 */
import { describe, expect, it } from "vitest";
import type { Leftover, RunReport } from "../../src/checks/results.js";
import { junitXml } from "../../src/report/junit.js";
import { leftoverLine } from "../../src/report/leftovers.js";
import { markdownSummary } from "../../src/report/markdown.js";

const TICKET = "t|1`x";
const LEFTOVERS: Leftover[] = [
  {
    kind: "ticket",
    ticketId: TICKET,
    chatId: "c1",
    reason: "complete answered 200 (not JSON); its details answered 200 []",
    curl: `curl -sS -X PATCH 'http://t.test/api/v1/tickets/${TICKET}/complete' -H "authorization: $TICKETS_API_KEY"`,
  },
  {
    kind: "tag",
    ticketId: "t2",
    tagId: "g2",
    reason: "target did not answer",
    curl: `curl -sS -X DELETE 'http://t.test/api/v1/tickets/t2/tags/g2' -H "authorization: $TICKETS_API_KEY"`,
  },
  {
    kind: "chat",
    chatId: "c3",
    reason: "its create got no readable answer, and the list of its pending tickets answered 500",
    curl: "curl -sS -X GET 'http://t.test/api/v1/tickets/details?status=pending&chatIds=c3'",
  },
];

function run(leftovers: Leftover[]): RunReport {
  return {
    format: "tickets-api-harness/results@1",
    runId: "run",
    startedAt: "2024-01-01T00:00:00.000Z",
    durationMs: 1000,
    target: { baseUrl: "http://t.test", embedded: false },
    seed: 1,
    runs: 1,
    readOnly: false,
    verdict: "pass",
    exitCode: 0,
    counts: { pass: 0, fail: 0, warn: 0, skip: 0 },
    requests: 0,
    checks: [],
    enums: [],
    fixtureSources: {},
    leftovers,
    replay: "npx tickets-harness check --seed 1",
  };
}

describe("leftovers in the reports", () => {
  it("summary.md: a table of what, id, why and the curl, each cell one line with its pipes escaped", () => {
    const summary = markdownSummary(run(LEFTOVERS));
    const rows = summary.split("\n").filter((line) => /^\| (ticket|tag|chat) \|/.test(line));
    expect(summary).toContain("| what | id | why | clean it by hand |");
    expect(rows).toEqual([
      `| ticket | \`\`t\\|1\`x\`\` | complete answered 200 (not JSON); its details answered 200 [] | \`\`curl -sS -X PATCH 'http://t.test/api/v1/tickets/t\\|1\`x/complete' -H "authorization: $TICKETS_API_KEY"\`\` |`,
      `| tag | \`g2\` on ticket \`t2\` | target did not answer | \`curl -sS -X DELETE 'http://t.test/api/v1/tickets/t2/tags/g2' -H "authorization: $TICKETS_API_KEY"\` |`,
      "| chat | `c3` | its create got no readable answer, and the list of its pending tickets answered 500 | `curl -sS -X GET 'http://t.test/api/v1/tickets/details?status=pending&chatIds=c3'` |",
    ]);
    expect(markdownSummary(run([]))).not.toContain("Left behind");
  });

  it("junit.xml: the suite's output names each, escaped; the failure counts stay the run's", () => {
    const xml = junitXml(run(LEFTOVERS));
    expect(xml).toMatch(/failures="0" errors="0"/);
    expect(xml).not.toContain("<failure");
    const out = /<system-out>([^<]*)<\/system-out>/.exec(xml)?.[1] ?? "";
    expect(out.split("\n")).toHaveLength(3);
    expect(out).toContain(
      `left behind: tag g2 on ticket t2 (target did not answer): curl -sS -X DELETE 'http://t.test/api/v1/tickets/t2/tags/g2' -H &quot;authorization: $TICKETS_API_KEY&quot;`,
    );
    expect(out).toContain("status=pending&amp;chatIds=c3");
    expect(junitXml(run([]))).not.toContain("system-out");
  });

  it("the CLI line: `<kind> <id> (<reason>): <curl>`", () => {
    expect(LEFTOVERS.map(leftoverLine)).toEqual([
      `ticket ${TICKET} (${LEFTOVERS[0]?.reason}): ${LEFTOVERS[0]?.curl}`,
      `tag g2 on ticket t2 (target did not answer): ${LEFTOVERS[1]?.curl}`,
      `chat c3 (${LEFTOVERS[2]?.reason}): ${LEFTOVERS[2]?.curl}`,
    ]);
  });
});
