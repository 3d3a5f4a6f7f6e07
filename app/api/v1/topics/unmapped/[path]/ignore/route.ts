import { route } from "@/lib/http/route";
import { setTopicStatus } from "@/lib/topics/set-topic-status";
import { parseTopicPath } from "@/lib/topics/topic-fields";

export const POST = route({ access: "ADMIN" }, async ({ caller, params }) => ({
  data: await setTopicStatus(parseTopicPath(params.path), "ignored", caller),
}));
