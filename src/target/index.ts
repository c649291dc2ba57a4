export { chooseBaseUrl } from "./base-url.js";
export type { FixtureSources } from "./fixtures.js";
export { cleanUp, Ledger } from "./ledger.js";
export { type EmbeddedServer, openTarget, type Target, type TargetOptions } from "./target.js";
