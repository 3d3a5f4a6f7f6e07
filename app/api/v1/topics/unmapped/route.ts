import { route } from "@/lib/http/route";
import { findUnmappedTopics } from "@/lib/topics/find-unmapped-topics";
import { ZUnmappedQuery } from "@/lib/topics/topic-fields";

export const GET = route({ access: "ADMIN", query: ZUnmappedQuery }, async ({ query }) => ({ data: await findUnmappedTopics(query) }));
