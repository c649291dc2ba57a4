/**
 * HTML that cannot forget to escape: the `html` tagged template every page of the harness
 * is built with. Every interpolation is text, and is escaped, unless it is a fragment already
 * made safe: the result of another `html` template, of `joinHtml`, or of `raw(...)`, which
 * is for trusted constant markup only (the page's own style sheet, the bench report's own
 * script), never for anything read from a run. An array renders its items one after the
 * other, each by the same rule; null, undefined and false render as nothing.
 *
 * Escaping makes text safe in element content and in double-quoted attribute values, the
 * only two places a page puts text: never inside <script> or <style> (only `raw`, trusted
 * code goes there), never into an unquoted attribute, and never as a whole URL (escaping
 * does not stop `javascript:`; the pages' Content-Security-Policy does, and the links they
 * build are relative paths).
 *
 * Why our own and not a package: it is some forty lines; the template libraries bring more
 * than a report needs (a DOM, a renderer, directives) or rules of their own (which characters
 * they escape, what becomes of control characters, how a fragment is marked safe). This one
 * keeps the reports' escaping exactly as it was, and a safe fragment is an instance of a
 * class this module does not export: nothing parsed from a results.json can pass for one.
 */

class SafeHtml {
  readonly #markup: string;

  constructor(markup: string) {
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

export type { SafeHtml };

/** What `html` takes: text (escaped), numbers, safe fragments, lists of them, or nothing. */
export type HtmlValue =
  | SafeHtml
  | string
  | number
  | false
  | null
  | undefined
  | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text to HTML, for element content and quoted attribute values alike. */
export function escapeHtml(value: unknown): string {
  return (
    String(value)
      .replace(/[&<>"']/g, (char) => ENTITIES[char] as string)
      // Control characters have no business in a page: shown as the replacement character.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what this replaces
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "\uFFFD")
  );
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === null || value === undefined || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  // Anything else (a number, or whatever a malformed results.json held) is text.
  return escapeHtml(value);
}

/** The tagged template: html`<p class="${kind}">${text}</p>`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? "";
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(markup);
}

/**
 * The items with a separator between them, each (and it) escaped unless safe; an item that
 * renders as nothing (null, false, "", an empty list) is left out with its separator.
 */
export function joinHtml(items: readonly HtmlValue[], separator: HtmlValue = ""): SafeHtml {
  const rendered = items.map(render).filter((markup) => markup !== "");
  return new SafeHtml(rendered.join(render(separator)));
}

/** Trusted constant markup, as is. Never for anything that came from a run or a server. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
