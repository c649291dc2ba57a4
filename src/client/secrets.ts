export interface Redactor {
  /** Replaces every occurrence of the key by the placeholder. */
  redact(text: string): string;
  /** The same for a text cut at a size cap, which may end in the middle of the key. */
  redactCut(text: string): string;
}

/**
 * Redacts the key, also in its JSON-escaped and URL-encoded forms: the ways a
 * server is likely to echo it back.
 */
export function createRedactor(key: string, placeholder: string): Redactor {
  if (key === "") return { redact: (text) => text, redactCut: (text) => text };
  const forms = [...new Set([key, JSON.stringify(key).slice(1, -1), encodeURIComponent(key)])];
  const redact = (text: string) =>
    forms.reduce((result, form) => result.replaceAll(form, placeholder), text);
  return { redact, redactCut: (text) => dropKeyStartAtEnd(redact(text), key) };
}

function dropKeyStartAtEnd(text: string, key: string): string {
  for (let length = Math.min(key.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(key.slice(0, length))) return text.slice(0, -length);
  }
  return text;
}
