import { EnvError } from "../lib/env";
import { parseWorkerEnv } from "./env";
import { startWorker } from "./worker";

// `npm run worker`: the ingest worker as its own process (production runs it beside `npm start`).
async function main() {
  let env;
  try {
    env = parseWorkerEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`ingest-worker: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const worker = await startWorker(env);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await worker.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error("ingest-worker: failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
