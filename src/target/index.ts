export { BASE_URL_ENV, chooseBaseUrl } from "./base-url.js";
export type { FixtureSources } from "./fixtures.js";
export { ChatPool, cleanUp, Ledger } from "./ledger.js";
export { type EmbeddedServer, openTarget, type Target, type TargetOptions } from "./target.js";
