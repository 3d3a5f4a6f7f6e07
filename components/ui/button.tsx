import type { ComponentProps } from "react";
import { cx } from "./cx";

type TButtonVariant = "primary" | "secondary" | "ghost";

const variants: Record<TButtonVariant, string> = {
  primary: "bg-accent text-white hover:bg-accent-hover disabled:hover:bg-accent",
  secondary: "border border-line-strong bg-surface text-fg hover:bg-subtle",
  ghost: "text-fg-muted hover:bg-subtle hover:text-fg",
};

/** Button looks, for links that should look like buttons. 44px tall on touch-sized screens. */
export function buttonClasses(variant: TButtonVariant = "primary", className?: string): string {
  return cx(
    "inline-flex min-h-11 items-center justify-center gap-2 rounded-md px-4 text-sm font-medium transition-colors lg:min-h-9",
    "disabled:cursor-not-allowed disabled:opacity-60",
    variants[variant],
    className,
  );
}

export function Button({ variant = "primary", className, type = "button", ...props }: ComponentProps<"button"> & { variant?: TButtonVariant }) {
  return <button type={type} className={buttonClasses(variant, className)} {...props} />;
}
