import { applyMigrations } from "../lib/db/migrate";

// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (see lib/db/migrate.ts).
const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  console.error("DATABASE_URL is not set");
  process.exit(1);
}

try {
  const { applied, alreadyApplied } = await applyMigrations({ connectionString, log: (line) => console.log(`migrate: ${line}`) });
  console.log(
    applied.length === 0
      ? `migrate: database is up to date (${alreadyApplied.length} migrations already applied)`
      : `migrate: applied ${applied.length} migration${applied.length === 1 ? "" : "s"}, ${alreadyApplied.length} already applied`,
  );
} catch (error) {
  // Operators need the reason, not a stack trace.
  console.error(`migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
