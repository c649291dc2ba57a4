export { CHOICES, type Choice, type ChoiceName } from "./choices.js";
export { startEmbeddedServer } from "./embedded.js";
export {
  CONCURRENCY_FAULTS,
  FAULTS,
  type Fault,
  type FaultName,
  PERFORMANCE_FAULTS,
  UnknownFaultError,
} from "./faults.js";
export {
  DEV_API_KEY,
  type ReferenceServer,
  type ReferenceServerOptions,
  resolveApiKey,
  startReferenceServer,
} from "./server.js";
