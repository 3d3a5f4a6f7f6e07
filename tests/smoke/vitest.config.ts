import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["tests/smoke/**/*.test.ts"], environment: "node", testTimeout: 240_000, hookTimeout: 240_000 },
});
