import type { Metadata } from "next";
import { TopicsAdmin } from "./topics-admin";

export const metadata: Metadata = { title: "Topics" };

/** The admin layout has already checked the admin role; every API call checks it again. */
export default function TopicsPage() {
  return <TopicsAdmin />;
}
