// Runs once when the web server starts: a bad environment stops it with a message naming
// the variable, and the first admin is created on an empty database.
export async function register() {
  // Inline on purpose: Next removes the Node-only branch from the edge build only when it sees this exact check.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { EnvError, getEnv } = await import("./lib/env");
  let env;
  try {
    env = getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`shopfloor web: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const [{ ensureFirstAdmin }, { getDb }] = await Promise.all([import("./lib/auth/bootstrap-admin"), import("./lib/db")]);
  try {
    if (await ensureFirstAdmin(getDb(), env.SHOPFLOOR_ADMIN_EMAIL, env.SHOPFLOOR_ADMIN_PASSWORD)) {
      console.info(`shopfloor web: created the first admin ${env.SHOPFLOOR_ADMIN_EMAIL}`);
    }
  } catch (error) {
    // The database may be down at start; health reports it and sign-in works once it is back.
    console.error("shopfloor web: could not check for a first admin:", error instanceof Error ? error.message : error);
  }
}
