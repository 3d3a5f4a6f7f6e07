import { route } from "@/lib/http/route";

export const GET = route({ access: "VIEWER" }, async ({ caller }) => ({ data: caller }));
