import { route } from "@/lib/http/route";
import { parseApiTokenId, revokeApiToken } from "@/lib/auth/api-tokens";

/** Revokes the token (sets revokedAt; the row stays for the audit). A second revoke answers 409. */
export const DELETE = route({ access: "ADMIN" }, async ({ caller, params }) => ({
  data: await revokeApiToken(parseApiTokenId(params.id), caller),
}));
