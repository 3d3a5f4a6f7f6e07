import type { ComponentProps } from "react";
import { cx } from "./cx";

/** A native select with the inputs' look and touch-sized height (44px below 1024px). */
export function Select({ className, ...props }: ComponentProps<"select">) {
  return <select className={cx("min-h-11 rounded-md border border-line-strong bg-surface px-3 text-sm text-fg lg:min-h-9", className)} {...props} />;
}
