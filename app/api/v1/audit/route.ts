import { auditToCsv, findAuditPage, ZAuditQuery } from "@/lib/audit/find-audit";
import { route } from "@/lib/http/route";

export const GET = route({ access: "ADMIN", query: ZAuditQuery }, async ({ query }) => {
  const { entries, nextCursor } = await findAuditPage(query);
  if (query.format === "json") return { data: entries, nextCursor };
  return new Response(auditToCsv(entries), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="audit.csv"' },
  });
});
