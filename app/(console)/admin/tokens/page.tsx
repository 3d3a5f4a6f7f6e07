import type { Metadata } from "next";
import { TokensAdmin } from "./tokens-admin";

export const metadata: Metadata = { title: "API tokens" };

// The admin layout admits admins only; the API checks the role again on every call.
export default function TokensPage() {
  return <TokensAdmin />;
}
