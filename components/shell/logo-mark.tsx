import { cx } from "@/components/ui/cx";

/** The Shopfloor mark: a sawtooth-roofed plant on the accent colour. Decorative; pair it with the name. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className={cx("shrink-0", className)}>
      <rect width="24" height="24" rx="5" className="fill-accent" />
      <path d="M5 18.5V10.5l3.5 2.2v-2.2l3.5 2.2v-2.2l3.5 2.2V6.5h2.5v12z" fill="#fff" />
    </svg>
  );
}

export function Wordmark({ className }: { className?: string }) {
  return (
    <span className={cx("inline-flex items-center gap-2.5 font-semibold tracking-tight text-fg", className)}>
      <LogoMark className="size-7" />
      Shopfloor
    </span>
  );
}
