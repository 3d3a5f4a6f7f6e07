import { NextResponse } from "next/server";
import { siteScopeOf } from "@/lib/auth/site-scope";
import { route } from "@/lib/http/route";
import { findProductTypes, saveProductType, ZProductTypesQuery, ZSaveProductType } from "@/lib/product-types/product-types";

export const GET = route({ access: "VIEWER", query: ZProductTypesQuery }, async ({ query, caller }) => ({ data: await findProductTypes(query, siteScopeOf(caller)) }));

/** Creates a product type (201) or sets the ideal cycle time of an existing one (200). */
export const POST = route({ access: "ADMIN", body: ZSaveProductType, maxBodyBytes: 10_000 }, async ({ body, caller }) => {
  const { created, productType } = await saveProductType(body, caller);
  return NextResponse.json({ data: productType }, { status: created ? 201 : 200 });
});
