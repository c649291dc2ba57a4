import type { HarnessConfig } from "../../src/config/config.js";
import { startEmbeddedServer } from "../../src/reference/index.js";

/** The embedded reference server, with these faults, as the CLI hands it to a run. */
export function embedded(config: Pick<HarnessConfig, "apiKeyEnv">, faults: string[] = []) {
  return () => startEmbeddedServer({ apiKeyEnv: config.apiKeyEnv, faults });
}
