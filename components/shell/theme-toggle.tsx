"use client";

import { useTheme } from "next-themes";
import { useId, useSyncExternalStore } from "react";

const options = [
  { value: "light", label: "Light", icon: <><circle cx="10" cy="10" r="3.5" /><path d="M10 2v1.5M10 16.5V18M2 10h1.5M16.5 10H18M4.3 4.3l1.1 1.1M14.6 14.6l1.1 1.1M4.3 15.7l1.1-1.1M14.6 5.4l1.1-1.1" /></> },
  { value: "dark", label: "Dark", icon: <path d="M16.5 12.2A7 7 0 0 1 7.8 3.5a7 7 0 1 0 8.7 8.7z" /> },
  { value: "system", label: "System", icon: <><rect x="2.5" y="3.5" width="15" height="10" rx="1.5" /><path d="M7 17h6M10 13.5V17" /></> },
] as const;

const subscribeNothing = () => () => {};

/** Light, dark or follow the device, as a radio group (arrow keys move between the three). */
export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  // The stored theme is only known in the browser; render none checked on the server.
  const mounted = useSyncExternalStore(subscribeNothing, () => true, () => false);
  const name = useId();

  return (
    <fieldset className="flex shrink-0 rounded-md border border-line p-0.5">
      <legend className="sr-only">Theme</legend>
      {options.map((option) => (
        <label
          key={option.value}
          title={option.label}
          className="relative flex size-11 flex-1 cursor-pointer items-center justify-center rounded text-fg-muted transition-colors hover:text-fg has-checked:bg-subtle has-checked:text-fg has-focus-visible:outline-2 has-focus-visible:outline-focus lg:h-8 lg:w-auto"
        >
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={mounted && theme === option.value}
            onChange={() => setTheme(option.value)}
            // Invisible but covering the whole segment, so a tap or a test's click lands on the radio itself.
            className="absolute inset-0 m-0 cursor-pointer appearance-none opacity-0"
          />
          <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" className="pointer-events-none size-[18px]">
            {option.icon}
          </svg>
          <span className="sr-only">{option.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
