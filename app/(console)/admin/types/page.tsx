import type { Metadata } from "next";
import { TypesAdmin } from "./types-admin";

export const metadata: Metadata = { title: "Asset types" };

/** Admins only: the admin layout checks the role, and every API call checks it again. */
export default function AssetTypesPage() {
  return <TypesAdmin />;
}
