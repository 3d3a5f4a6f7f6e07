import path from "node:path";
import { defineConfig } from "vitest/config";

// Unit tests sit next to the code (*.test.ts); integration tests talk to the real PostgreSQL
// and MQTT broker that scripts/test.ts provides through DATABASE_URL and MQTT_URL.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts", "ingest-worker/**/*.test.ts", "tests/integration/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
