import type { Metadata } from "next";
import { ReasonCodesAdmin } from "./reason-codes-admin";

export const metadata: Metadata = { title: "Reason codes" };

// The admin layout admits admins only; the API checks the role again on every change.
export default function ReasonCodesPage() {
  return <ReasonCodesAdmin />;
}
