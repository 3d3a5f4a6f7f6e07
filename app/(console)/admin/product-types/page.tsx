import type { Metadata } from "next";
import { ProductTypesAdmin } from "./product-types-admin";

export const metadata: Metadata = { title: "Product types" };

export default function ProductTypesPage() {
  return <ProductTypesAdmin />;
}
