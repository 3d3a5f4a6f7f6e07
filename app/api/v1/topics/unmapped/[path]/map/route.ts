import { route } from "@/lib/http/route";
import { mapTopic } from "@/lib/topics/map-topic";
import { parseTopicPath, ZMapTopic } from "@/lib/topics/topic-fields";

export const POST = route({ access: "ADMIN", body: ZMapTopic, maxBodyBytes: 1_000 }, async ({ caller, body, params }) => ({
  data: await mapTopic(parseTopicPath(params.path), body, caller),
}));
