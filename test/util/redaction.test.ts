import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRedactor, redactSecrets, registerSecret } from "../../src/util/redaction.js";

const KEY = 'k3y+With/"odd"&<chars>=é';
const PLACEHOLDER = "$TICKETS_API_KEY";
const { redact, redactCut } = createRedactor(KEY, PLACEHOLDER);
/** Whether the text carries the key in any of its encodings: redaction changes it. */
const contains = (text: string) => redact(text) !== text;
const unicode = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** The key as a server could echo it, one encoding per entry. */
const ECHOES: Record<string, string> = {
  raw: KEY,
  "JSON-escaped": JSON.stringify(KEY).slice(1, -1),
  "every character \\u-escaped": [...KEY].map(unicode).join(""),
  "\\u-escaped in upper case": [...KEY]
    .map((char) => unicode(char).toUpperCase().replace("\\U", "\\u"))
    .join(""),
  "split by escaping (every other character)": [...KEY]
    .map((char, i) => (i % 2 === 0 || char === '"' ? unicode(char) : char))
    .join(""),
  "URL-encoded": encodeURIComponent(KEY),
  "URL-encoded, lower-case hex": encodeURIComponent(KEY).replace(/%[0-9A-F]{2}/g, (hex) =>
    hex.toLowerCase(),
  ),
  "HTML entities": KEY.replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;"),
  "numeric entities": [...KEY].map((char) => `&#${char.codePointAt(0)};`).join(""),
  base64: Buffer.from(KEY).toString("base64"),
  base64url: Buffer.from(KEY).toString("base64url"),
};

describe("the key redactor", () => {
  it.each(Object.entries(ECHOES))("finds and removes the key %s", (_, echo) => {
    for (const text of [echo, `{"status":"${echo}"}`, `before ${echo} after`]) {
      expect(contains(text), text).toBe(true);
      expect(redact(text)).toContain(PLACEHOLDER);
      expect(contains(redact(text))).toBe(false);
    }
  });

  it("finds base64 of the key at every alignment inside a longer encoded text", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        const encoded = Buffer.from(`${before}${KEY}${after}`).toString("base64");
        return contains(encoded) && !contains(redact(encoded));
      }),
    );
  });

  it("leaves text without the key as it is (the nearest miss included)", () => {
    // Without its last character the key is still redacted (a near-wrong key); two less is a miss.
    const nearMiss = KEY.slice(0, -2);
    expect(redact(`a ticket: {"status":"pending","summary":"${nearMiss}"}`)).toBe(
      `a ticket: {"status":"pending","summary":"${nearMiss}"}`,
    );
    expect(contains(encodeURIComponent(nearMiss))).toBe(false);
    fc.assert(fc.property(fc.string(), (text) => text.includes("k3y") || redact(text) === text));
  });

  it("drops the start of the key where a cut body ends in it", () => {
    expect(redactCut(`body ${KEY.slice(0, 6)}`)).toBe("body ");
  });

  it("keeps every registered key out of what the process writes", () => {
    registerSecret("registered-secret-42", "$OTHER_KEY");
    expect(redactSecrets("a=registered%2Dsecret-42 b=registered-secret-42")).toBe(
      "a=$OTHER_KEY b=$OTHER_KEY",
    );
  });
});

describe("a key too short to be real", () => {
  it("is redacted where it stands alone, never inside words", () => {
    const { redact } = createRedactor("x", "$K");
    expect(redact("junit.xml says x, and the key is: x")).toBe(
      "junit.xml says $K, and the key is: $K",
    );
  });
});

describe("the nearest wrong keys", () => {
  it("are redacted too: the key in another case, and the key without its last character", () => {
    const key = "Near-Key-0123456789abcdef";
    const { redact } = createRedactor(key, "$K");
    const flipped = [...key]
      .map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()))
      .join("");
    for (const near of [flipped, key.slice(0, -1), `${key}x`, JSON.stringify(key.slice(0, -1))]) {
      expect(redact(`wrong key: ${near}`)).not.toMatch(/0123456789abcde/i);
    }
  });
});
