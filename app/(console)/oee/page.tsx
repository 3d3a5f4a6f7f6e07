import type { Metadata } from "next";
import { Suspense } from "react";
import { OeeDashboard } from "./oee-dashboard";

export const metadata: Metadata = { title: "OEE" };

export default function OeePage() {
  // The asset and range live in the URL (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense>
      <OeeDashboard />
    </Suspense>
  );
}
