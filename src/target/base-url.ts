/**
 * Which base URL a run targets, in one order for every command and the vitest entry:
 * the `--base-url` flag, else `TICKETS_BASE_URL` (an empty value counts as unset), else the
 * config's `baseUrl`; none of them: undefined, and the caller hands over the embedded
 * reference server.
 */
import { UserError } from "../util/exit-codes.js";

export const BASE_URL_ENV = "TICKETS_BASE_URL";

export function chooseBaseUrl(
  flag: string | undefined,
  configured: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const chosen = flag ?? (env[BASE_URL_ENV] || undefined) ?? configured;
  if (chosen !== undefined && !/^https?:\/\/[^/]/.test(chosen)) {
    throw new UserError(`base URL must start with http:// or https://, got "${chosen}"`);
  }
  return chosen;
}
