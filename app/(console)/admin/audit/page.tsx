import type { Metadata } from "next";
import { AuditViewer } from "./audit-viewer";

export const metadata: Metadata = { title: "Audit log" };

// The admin layout admits admins only; the API checks the role again.
export default function AuditPage() {
  return <AuditViewer />;
}
