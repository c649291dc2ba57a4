import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"] },
      },
      {
        // TICKETS_BASE_URL=... npx vitest run --project conformance: gate a target with vitest.
        extends: true,
        test: { name: "conformance", include: ["test/conformance/**/*.conformance.ts"] },
      },
    ],
  },
});
