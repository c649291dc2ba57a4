import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkScenario, loadScenario } from "../../src/load/scenario.js";

const valid = {
  name: "my-scenario",
  description: "one page of pending tickets",
  model: { kind: "closed", connections: 2 },
  warmupSeconds: 0,
  durationSeconds: 1,
  requests: () => ({
    next: () => ({ method: "GET", path: "/api/v1/tickets/details?status=pending" }),
  }),
};
const dir = mkdtempSync(join(tmpdir(), "scenarios-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a scenario file", () => {
  it("is taken when it has the shape, and the open model's in-flight cap gets a default", () => {
    expect(checkScenario(valid, "x").thresholds).toEqual([]);
    const open = checkScenario({ ...valid, model: { kind: "open", rate: 50 } }, "x");
    expect(open.model).toEqual({ kind: "open", rate: 50, maxInFlight: 50 });
  });

  it("is a config error naming the field it breaks", () => {
    const field = (change: Record<string, unknown>) => {
      try {
        checkScenario({ ...valid, ...change }, "f.mjs");
        return "accepted";
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(field({ name: "My Scenario" })).toMatch(/scenario f\.mjs: "name" must be/);
    expect(field({ model: { kind: "closed", connections: 0 } })).toMatch(/"model\.connections"/);
    expect(field({ model: { kind: "closed", connections: 1.5 } })).toMatch(/"model\.connections"/);
    expect(field({ model: { kind: "open", rate: 0 } })).toMatch(/"model\.rate"/);
    expect(field({ model: { kind: "poisson" } })).toMatch(/"model\.kind"/);
    expect(field({ durationSeconds: 0 })).toMatch(/"durationSeconds"/);
    expect(field({ thresholds: ["p99<5ms", 3] })).toMatch(/"thresholds"/);
    expect(field({ requests: "GET /" })).toMatch(/"requests" must be a function/);
    expect(field({ description: "" })).toMatch(/"description"/);
    expect(field({ model: { kind: "closed", connections: 1 } })).toBe("accepted");
  });

  it("loads by path (.mjs default export); a missing file or a broken one is one clear line", async () => {
    const path = join(dir, "mine.mjs");
    writeFileSync(
      path,
      `export default { name: "mine", description: "d", model: { kind: "closed", connections: 1 }, warmupSeconds: 0, durationSeconds: 1, requests: () => ({ next: () => ({ method: "GET", path: "/" }) }) };\n`,
    );
    expect((await loadScenario(path)).name).toBe("mine");
    await expect(loadScenario(join(dir, "none.mjs"))).rejects.toThrow(
      /unknown scenario .*none\.mjs/,
    );
    const broken = join(dir, "broken.mjs");
    writeFileSync(broken, "export default {;\n");
    await expect(loadScenario(broken)).rejects.toThrow(/scenario .*broken\.mjs: cannot load it/);
    const noDefault = join(dir, "nodefault.mjs");
    writeFileSync(noDefault, "export const x = 1;\n");
    await expect(loadScenario(noDefault)).rejects.toThrow(/"\(default export\)" must be an object/);
  });
});
