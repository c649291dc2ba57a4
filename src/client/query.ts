export type QueryScalar = string | number | boolean;
export type QueryValue = QueryScalar | QueryScalar[] | null | undefined;
export type QueryParams = Record<string, QueryValue>;

/**
 * Serializes a query as the profile pins it: arrays as repeated keys, booleans as
 * `true`/`false`, numbers as written. `undefined` and `null` are left out (a nullable
 * parameter set to null means "not given"). Returns "" or a string without the leading "?".
 */
export function serializeQuery(query: QueryParams): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`);
    }
  }
  return pairs.join("&");
}
