import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

describe("the tickets-harness CLI", () => {
  it.each([[[]], [["contracts"]], [["contracts", "derive"]], [["contracts", "verify"]]])(
    "%j --help prints usage and exits 0",
    (args) => {
      const result = runCli([...args, "--help"]);
      expect(result.stdout).toMatch(/^Usage: tickets-harness/);
      expect(result.code).toBe(0);
    },
  );

  it("lists its commands", () => {
    expect(runCli(["--help"]).stdout).toMatch(/contracts\s+derive the contract/);
    expect(runCli(["contracts", "--help"]).stdout).toMatch(
      /derive \[options]\s+[\s\S]*verify \[options]/,
    );
  });

  it.each([
    [["nonsense"], /unknown command 'nonsense'/],
    [["contracts", "verify", "--frobnicate"], /unknown option '--frobnicate'/],
    [["contracts", "derive", "--docs"], /option '--docs <file>' argument missing/],
  ])("%j is a usage error: exit 2", (args, message) => {
    const result = runCli(args);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(result.code).toBe(2);
  });
});
