import { ensureFirstAdmin } from "../lib/auth/bootstrap-admin";
import { getDb } from "../lib/db";
import { getEnv } from "../lib/env";
import { seedDemoPlant } from "../lib/seed/demo-plant";

// `npm run db:seed`: the first admin (from SHOPFLOOR_ADMIN_*) and the demo plant; safe to repeat.
const env = getEnv();
const db = getDb();
try {
  const adminCreated = await ensureFirstAdmin(db, env.SHOPFLOOR_ADMIN_EMAIL, env.SHOPFLOOR_ADMIN_PASSWORD);
  const { assets, types } = await seedDemoPlant(db);
  console.log(`seed: demo plant ready (${assets} assets, ${types} asset types)${adminCreated ? `, admin ${env.SHOPFLOOR_ADMIN_EMAIL} created` : ""}`);
} finally {
  await db.$disconnect();
}
