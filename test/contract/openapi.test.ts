import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/cli.js";

const document = JSON.parse(readFileSync(join(ROOT, "contracts", "openapi.json"), "utf8"));

describe("the derived OpenAPI document", () => {
  it("passes a third-party OpenAPI 3.1 validator (@seriousme/openapi-schema-validator)", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    // Every $ref resolves: the validator dereferences the whole document.
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it("declares every templated path parameter, and unique operation ids", () => {
    const ids: string[] = [];
    for (const [path, item] of Object.entries<
      Record<string, { operationId: string; parameters: { name: string; in: string }[] }>
    >(document.paths)) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      for (const operation of Object.values(item)) {
        ids.push(operation.operationId);
        const declared = operation.parameters
          .filter((p) => p.in === "path")
          .map((p) => p.name)
          .sort();
        expect(declared, `${operation.operationId}`).toEqual(templated);
      }
    }
    expect(new Set(ids).size).toBe(8);
  });

  it("is a document Schemathesis or Prism can load as it is: JSON Schema dialect, security scheme", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.components.securitySchemes.apiKey).toEqual(
      expect.objectContaining({ type: "apiKey", in: "header", name: "authorization" }),
    );
    const text = JSON.stringify(document);
    expect(text).not.toMatch(/"nullable":/); // 3.0 syntax has no place in 3.1
    expect(text).not.toMatch(/"\$id":|"\$schema":/); // components are plain 3.1 schema objects
  });
});
