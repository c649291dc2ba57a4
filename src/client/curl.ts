import type { Exchange } from "./exchange.js";

// The recorded auth header holds an env var reference, e.g. `$TICKETS_API_KEY` or
// `Bearer $TICKETS_API_KEY`, that the shell must expand, so it alone is double-quoted.
const KEY_PLACEHOLDER = /^(Bearer )?\$[A-Za-z_][A-Za-z0-9_]*$/;

/** A ready-to-paste curl command that repeats the exchange's request. */
export function toCurl(exchange: Exchange<unknown>): string {
  const { method, url, headers, body } = exchange.request;
  const parts = ["curl -sS -X", method, shellQuote(url)];
  for (const [name, value] of Object.entries(headers)) {
    parts.push("-H", headerArgument(name, value));
  }
  if (body !== undefined) parts.push("--data-raw", shellQuote(body));
  return parts.join(" ");
}

function headerArgument(name: string, value: string): string {
  const line = `${name}: ${value}`;
  const expandsKey = name.toLowerCase() === "authorization" && KEY_PLACEHOLDER.test(value);
  return expandsKey ? `"${line}"` : shellQuote(line);
}

/** Quotes for a POSIX shell: nothing inside single quotes is special except `'` itself. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
