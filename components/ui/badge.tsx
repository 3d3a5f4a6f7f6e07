import type { ComponentProps } from "react";
import { cx } from "./cx";

type TBadgeTone = "neutral" | "accent";

const tones: Record<TBadgeTone, string> = {
  neutral: "border-line-strong text-fg-muted",
  accent: "border-transparent bg-accent-soft text-accent-text",
};

export function Badge({ tone = "neutral", className, ...props }: ComponentProps<"span"> & { tone?: TBadgeTone }) {
  return (
    <span
      className={cx("inline-flex shrink-0 items-center rounded border px-1.5 py-px text-[0.6875rem] font-medium uppercase leading-4 tracking-wide", tones[tone], className)}
      {...props}
    />
  );
}
