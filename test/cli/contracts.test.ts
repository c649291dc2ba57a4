import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/cli.js";

const work = mkdtempSync(join(tmpdir(), "contract-verify-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const DOCS = readFileSync(join(ROOT, "contracts/source/tickets-api.txt"), "utf8");

function docsFile(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

describe("contracts verify", () => {
  it("passes on the committed contract", () => {
    const result = runCli(["contracts", "verify"]);
    expect(result.stdout).toMatch(/matches the docs/);
    expect(result.code).toBe(0);
  });

  it("reports each difference of an altered copy of the docs in words, and exits 1", () => {
    const altered = DOCS.replaceAll(
      "assigneeEmailstring · nullableRequired",
      "assigneeEmailstringRequired",
    )
      .replace(
        "pageSizenumber · min: 1 · max: 100Optional",
        "pageSizenumber · min: 1 · max: 50Optional",
      )
      .replaceAll("summarystringRequired\n\nThe short summary of the ticket.\n\n", "")
      .replace("searchstringOptional", "searchstringRequired")
      .replace(
        "userIdstring · uuidRequired\n\nA UUID v4 string that identifies an entity.\n",
        "userIdstring · uuidRequired\n\nA UUID v4 string that identifies an entity.\n\nreasonstringOptional\n\nWhy.\n",
      );
    const result = runCli(["contracts", "verify", "--docs", docsFile("altered.txt", altered)]);
    expect(result.stdout.split("\n").filter((line) => line.startsWith("  "))).toEqual([
      "  ListTicketDetailsParameters.query.pageSize: maximum 100 -> 50",
      "  ListTicketDetailsParameters.query.search: required false -> true",
      "  TicketDetails.assigneeEmail: nullable true -> false",
      "  TicketDetails.summary: removed (was required true, type string, nullable false)",
      "  CompleteTicketBody.reason: added (required false, type string, nullable false)",
    ]);
    expect(result.stdout).toMatch(/^contract drift: 5 difference\(s\)/);
    expect(result.code).toBe(1);
  });

  it("notices a hand edit that changes no meaning", () => {
    const copy = join(work, "contracts");
    cpSync(join(ROOT, "contracts"), copy, { recursive: true });
    expect(runCli(["contracts", "verify", "--contracts", copy]).code).toBe(0);
    const file = join(copy, "schemas", "TagLink.schema.json");
    writeFileSync(file, JSON.stringify(JSON.parse(readFileSync(file, "utf8"))));
    const result = runCli(["contracts", "verify", "--contracts", copy]);
    expect(result.stdout).toContain(
      "  schemas/TagLink.schema.json: differs from a fresh derivation",
    );
    expect(result.code).toBe(1);
  });

  it("a missing docs file is a usage error in one line", () => {
    const result = runCli(["contracts", "verify", "--docs", join(work, "nope.txt")]);
    expect(result.stderr.trim()).toBe(
      `tickets-harness: cannot read the docs at ${join(work, "nope.txt")}: no such file`,
    );
    expect(result.code).toBe(2);
  });

  it("docs it cannot parse are a usage error that names the line", () => {
    const result = runCli([
      "contracts",
      "verify",
      "--docs",
      docsFile("garbage.txt", "Tickets\n\nhello\n"),
    ]);
    expect(result.stderr.trim()).toBe(
      "tickets-harness: docs line 1: no operation found (expected a method line followed by a path)",
    );
    expect(result.code).toBe(2);
  });
});

describe("contracts derive", () => {
  it("writes the whole contract, and a copy of its inputs, to --out", () => {
    const out = join(work, "derived");
    const result = runCli(["contracts", "derive", "--out", out]);
    expect(result.code).toBe(0);
    for (const file of [
      "openapi.json",
      "types.d.ts",
      "schemas/TicketDetails.schema.json",
      "source/tickets-api.txt",
    ]) {
      expect(readFileSync(join(out, file), "utf8")).toBe(
        readFileSync(join(ROOT, "contracts", file), "utf8"),
      );
    }
    expect(runCli(["contracts", "derive", "--out", out]).stdout).toMatch(/is up to date/);
  });
});
