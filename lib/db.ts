import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { getEnv } from "./env";

/** One Prisma client per process (kept on globalThis so dev reloads don't open new pools). */
const globalForPrisma = globalThis as unknown as { shopfloorPrisma?: PrismaClient };

export function createPrismaClient(connectionString: string, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max }) });
}

export function getDb(): PrismaClient {
  globalForPrisma.shopfloorPrisma ??= createPrismaClient(getEnv().DATABASE_URL);
  return globalForPrisma.shopfloorPrisma;
}
