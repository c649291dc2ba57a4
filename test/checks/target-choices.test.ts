import { describe, expect, it } from "vitest";
import { TargetChoices } from "../../src/checks/target-choices.js";

describe("TargetChoices", () => {
  it("learns the first side, holds later ones to it, and lists what it learned for the report", () => {
    const choices = new TargetChoices();
    expect(choices.hold("a method a path does not list", "405", "PUT /x", "RFC 9110")).toBe(
      undefined,
    );
    expect(choices.hold("the assignee on complete", "kept", "completing ticket 1")).toBe(undefined);
    expect(choices.hold("a method a path does not list", "405", "GET /y")).toBe(undefined);
    expect(choices.hold("a method a path does not list", "404", "GET /z")).toEqual({
      value: "405",
      where: "PUT /x",
      open: "RFC 9110",
    });
    expect(choices.list()).toEqual([
      { name: "a method a path does not list", side: "405", where: "PUT /x", open: "RFC 9110" },
      { name: "the assignee on complete", side: "kept", where: "completing ticket 1" },
    ]);
  });
});
