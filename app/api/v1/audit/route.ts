import { auditToCsv, findAudit, ZAuditQuery } from "@/lib/audit/find-audit";
import { route } from "@/lib/http/route";

export const GET = route({ access: "ADMIN", query: ZAuditQuery }, async ({ query }) => {
  const entries = await findAudit(query);
  if (query.format === "json") return { data: entries };
  return new Response(auditToCsv(entries), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="audit.csv"' },
  });
});
