import { route } from "@/lib/http/route";
import { parseUserId, updateUser, ZUpdateUser } from "@/lib/users/update-user";

export const PATCH = route({ access: "ADMIN", body: ZUpdateUser, maxBodyBytes: 10_000 }, async ({ caller, body, params }) => ({
  data: await updateUser(parseUserId(params.id), body, caller),
}));
