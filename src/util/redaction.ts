/**
 * Keeps the API key out of everything the harness writes or prints, in every encoding a
 * server can echo it: raw, JSON-escaped (`\"`, `\/`, `\u0068`), URL-encoded (`%2F`), as HTML
 * entities (`&quot;`, `&#x2F;`), any mix of those character by character (a key "split by
 * escaping"), and base64 (standard and URL-safe, at any alignment); in any letter case, and
 * also without its last character (the nearest wrong keys the auth check sends).
 *
 * Each client redacts what it records; the registry below is the last line of defence: the
 * report writers and the CLI's console pass everything through every key registered in the
 * process.
 */

export interface Redactor {
  /** Replaces every occurrence of the key, in any of its encodings, by the placeholder. */
  redact(text: string): string;
  /** The same for a text cut at a size cap, which may end in the middle of the key. */
  redactCut(text: string): string;
}

const NAMED_ENTITIES: Record<string, string[]> = {
  "&": ["&amp;"],
  "<": ["&lt;"],
  ">": ["&gt;"],
  '"': ["&quot;"],
  "'": ["&apos;", "&#39;"],
};
/** Base64 shorter than this could match by chance in an unrelated text. */
const MIN_BASE64_RUN = 8;
/**
 * A key shorter than this (no real key is) is redacted only where it stands alone, not
 * inside words: a one-letter test key must not blank out every "x" of a report.
 */
const SHORT_KEY = 8;

export function createRedactor(key: string, placeholder: string): Redactor {
  if (key === "") {
    return { redact: (text) => text, redactCut: (text) => text };
  }
  const alone = key.length < SHORT_KEY;
  const patterns = (alone ? [key] : [key, key.slice(0, -1)]).map((form) => {
    const chars = [...form].map(anyEncodingOf).join("");
    // Case-insensitive: a key with its case flipped (the auth check sends one) is the key.
    return new RegExp(alone ? `(?<![\\w-])${chars}(?![\\w-])` : chars, "gi");
  });
  const base64 = base64Runs(key);
  // The key first, then what is left of it without its last character (a server may echo
  // the near-wrong key it was sent): either way nothing but the placeholder remains.
  const redact = (text: string) =>
    base64.reduce(
      (result, run) => result.replaceAll(run, placeholder),
      patterns.reduce((result, pattern) => result.replace(pattern, placeholder), text),
    );
  return {
    redact,
    redactCut: (text) => dropKeyStartAtEnd(redact(text), key),
  };
}

/** A regular expression matching one character of the key in any encoding. */
function anyEncodingOf(char: string): string {
  const code = char.codePointAt(0) as number;
  const hex = (value: number, width: number) => caseless(value.toString(16).padStart(width, "0"));
  const utf8 = [...Buffer.from(char, "utf8")].map((byte) => `%${hex(byte, 2)}`).join("");
  const units = [...Array(char.length).keys()].map((i) => `\\\\u${hex(char.charCodeAt(i), 4)}`);
  const forms = [
    escapeRegex(char),
    units.join(""),
    utf8,
    `&#0*${code};`,
    `&#[xX]0*${hex(code, 1)};`,
    ...(NAMED_ENTITIES[char] ?? []).map(escapeRegex),
    ...(`"\\/`.includes(char) ? [`\\\\${escapeRegex(char)}`] : []),
  ];
  return `(?:${forms.join("|")})`;
}

function caseless(hexDigits: string): string {
  return [...hexDigits]
    .map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit))
    .join("");
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * The parts of the key's base64 that do not depend on what surrounds it: for each of the
 * three alignments, the characters wholly made of the key's bytes.
 */
function base64Runs(key: string): string[] {
  const bytes = Buffer.from(key, "utf8");
  const runs = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString("base64").replace(/=+$/, "");
    // Skip the characters that hold padding bits at the start, and the last partial group.
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const run = encoded.slice(start, end);
    if (run.length >= MIN_BASE64_RUN) {
      runs.add(run);
      runs.add(run.replace(/\+/g, "-").replace(/\//g, "_"));
    }
  }
  return [...runs];
}

function dropKeyStartAtEnd(text: string, key: string): string {
  for (let length = Math.min(key.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(key.slice(0, length))) return text.slice(0, -length);
  }
  return text;
}

// --- the process-wide registry ------------------------------------------------------------

const registered = new Map<string, Redactor>();

/** Every client registers its key here, so that no output of the process can carry it. */
export function registerSecret(key: string, placeholder: string): Redactor {
  const redactor = createRedactor(key, placeholder);
  if (key !== "" && !registered.has(key)) registered.set(key, redactor);
  return redactor;
}

/** The text with every registered key, in any encoding, replaced by its placeholder. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const redactor of registered.values()) result = redactor.redact(result);
  return result;
}
