import { getDb } from "../db";
import { publicUserSelect, type TPublicUser } from "./user-fields";

export function findUsers(): Promise<TPublicUser[]> {
  return getDb().user.findMany({ orderBy: { email: "asc" }, select: publicUserSelect });
}
