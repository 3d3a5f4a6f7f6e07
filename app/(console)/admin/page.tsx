import { redirect } from "next/navigation";
import { adminSections } from "@/components/admin/admin-sections";

export default function AdminIndexPage() {
  redirect(adminSections[0].href);
}
