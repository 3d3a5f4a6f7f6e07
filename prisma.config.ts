import { defineConfig } from "prisma/config";

// The CLI is only used for `prisma generate` (offline). Migrations are applied by
// scripts/migrate.ts; `prisma migrate deploy` agrees with it where the engine exists.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/shopfloor" },
});
