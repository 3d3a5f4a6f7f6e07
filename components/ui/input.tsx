import type { ComponentProps } from "react";
import { cx } from "./cx";

/**
 * A text input; `invalid` sets aria-invalid and the error border. 16px text below 1024px,
 * because iOS Safari zooms the page into smaller inputs on focus.
 */
export function Input({ invalid = false, className, ...props }: ComponentProps<"input"> & { invalid?: boolean }) {
  return (
    <input
      aria-invalid={invalid || undefined}
      className={cx(
        "block min-h-11 w-full rounded-md border bg-surface px-3 text-base text-fg shadow-xs placeholder:text-fg-muted/70 lg:min-h-9 lg:text-sm",
        "focus-visible:border-focus focus-visible:outline-1 focus-visible:outline-offset-0",
        "disabled:opacity-60",
        invalid ? "border-danger-text" : "border-line-strong",
        className,
      )}
      {...props}
    />
  );
}
