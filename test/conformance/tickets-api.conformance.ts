/**
 * The conformance suite under vitest, for teams that gate with it:
 *   TICKETS_BASE_URL=https://staging.example.com npx vitest run --project conformance
 * One test per check, the same verdicts as `tickets-harness check` (one code path:
 * runConformance). Without TICKETS_BASE_URL it runs against the embedded reference server.
 * This file is what a team writes in its own repository, with the package's vitest entry
 * (`import { describeConformance } from "tickets-api-harness/vitest"`).
 */
import { describeConformance } from "../../src/vitest/index.js";

describeConformance();
