/**
 * The proof that the harness catches what it claims: the whole suite passes against the
 * clean reference server over 5 seeds (no false positive, no flaky result), and fails
 * against every fault of the catalog, among its failing checks the one for the rule the
 * fault breaks. The performance fault is exempt: load scenarios catch it.
 */
import { describe, expect, it } from "vitest";
import { allChecks } from "../../src/checks/registry.js";
import {
  EXPECTED_CATCHERS,
  type MatrixRow,
  matrixHolds,
  mutationMatrix,
} from "../../src/mutation/matrix.js";
import { CHOICES, FAULTS } from "../../src/reference/index.js";

describe("the mutation matrix", () => {
  it("names, for every fault of the catalog, checks that exist", () => {
    const checkIds = new Set(allChecks().map((check) => check.id));
    expect(Object.keys(EXPECTED_CATCHERS).sort()).toEqual(FAULTS.map((fault) => fault.name).sort());
    for (const catchers of Object.values(EXPECTED_CATCHERS)) {
      for (const id of catchers) expect(checkIds, id).toContain(id);
    }
  });

  it("holds: 5 clean seeds pass, also with the other side of every open choice; every fault is caught by its rule", async () => {
    const rows: MatrixRow[] = await mutationMatrix({ seeds: [1, 2, 3, 4, 5] });
    const clean = rows.filter((row) => row.kind === "clean");
    expect(clean.map((row) => [row.seed, row.failing])).toEqual(
      [1, 2, 3, 4, 5].map((seed) => [seed, []]),
    );
    // The other side of every open choice, each and all together: no false alarm.
    const choices = rows.filter((row) => row.kind === "choice");
    expect(choices.map((row) => [row.fault, row.verdict, row.failing])).toEqual(
      choices.map((row) => [row.fault, "pass", []]),
    );
    expect(choices.length).toBe(CHOICES.length + 5);
    const missed = rows
      .filter((row) => row.kind === "fault" && !(row.caught && row.byItsRule))
      .map(
        (row) =>
          `${row.fault}: failing ${JSON.stringify(row.failing)}, expected one of ${EXPECTED_CATCHERS[row.fault]}`,
      );
    expect(missed).toEqual([]);
    expect(rows.filter((row) => row.kind === "fault")).toHaveLength(FAULTS.length - 1);
    expect(matrixHolds(rows)).toBe(true);
  }, 600_000);
});
