export { chooseBaseUrl } from "./base-url.js";
export { cleanUp, type Leftover, NO_ANSWER } from "./cleanup.js";
export type { FixtureSources } from "./fixtures.js";
export {
  JOURNAL_FILE,
  type Journal,
  type JournalTarget,
  readJournal,
  writeJournal,
} from "./journal.js";
export { Ledger } from "./ledger.js";
export { cappedRetryAfter } from "./probe.js";
export {
  type EmbeddedServer,
  openTarget,
  startEmbedded,
  type Target,
  type TargetOptions,
} from "./target.js";
