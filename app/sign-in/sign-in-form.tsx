"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { fetchJson } from "@/lib/api/fetch-json";

type TCredentials = { email: string; password: string };
type TFieldErrors = Partial<Record<keyof TCredentials, string>>;
type TSignInAnswer = { data: { user: { id: string; email: string; name: string | null; role: string } } };

// Only what a person can fix before sending; the server decides everything else.
function validate({ email, password }: TCredentials): TFieldErrors {
  const errors: TFieldErrors = {};
  if (!email.trim()) errors.email = "Enter your e-mail address.";
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) errors.email = "Enter an e-mail address like name@plant.com.";
  if (!password) errors.password = "Enter your password.";
  return errors;
}

export function SignInForm({ next }: { next: string | null }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const id = useId();
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const [values, setValues] = useState<TCredentials>({ email: "", password: "" });
  const [errors, setErrors] = useState<TFieldErrors>({});
  const [showPassword, setShowPassword] = useState(false);

  const signIn = useMutation({
    mutationFn: (credentials: TCredentials) =>
      fetchJson<TSignInAnswer>("/api/v1/auth/login", { method: "POST", body: { email: credentials.email.trim(), password: credentials.password } }),
    onSuccess: () => {
      // Nothing cached for a previous user may show to this one.
      queryClient.clear();
      router.replace(next ?? "/");
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validate(values);
    setErrors(found);
    if (found.email) return emailRef.current?.focus();
    if (found.password) return passwordRef.current?.focus();
    signIn.mutate(values);
  }

  function update(field: keyof TCredentials, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    // Clear a message once the person starts fixing it, rather than nagging on every key.
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  }

  // Stays busy after success until the next page has replaced this one.
  const busy = signIn.isPending || signIn.isSuccess;

  return (
    // method="post": if the script has not loaded yet, a submit must not put the password in the URL.
    <form method="post" noValidate onSubmit={onSubmit}>
      {/* Always in the DOM, so screen readers announce the message when it appears. */}
      <div role="alert">
        {signIn.isError ? (
          <p className="mb-5 rounded-md border border-danger-line bg-danger-soft px-3 py-2.5 text-sm text-danger-text">{signIn.error.message}</p>
        ) : null}
      </div>

      <div className="space-y-5">
        <div className="space-y-1.5">
          <label htmlFor={`${id}-email`} className="block text-sm font-medium">
            E-mail
          </label>
          <Input
            ref={emailRef}
            id={`${id}-email`}
            name="email"
            type="email"
            inputMode="email"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={values.email}
            onChange={(event) => update("email", event.target.value)}
            invalid={Boolean(errors.email)}
            aria-describedby={errors.email ? `${id}-email-error` : undefined}
          />
          {errors.email ? (
            <p id={`${id}-email-error`} className="text-sm text-danger-text">
              {errors.email}
            </p>
          ) : null}
        </div>

        <div className="space-y-1.5">
          <label htmlFor={`${id}-password`} className="block text-sm font-medium">
            Password
          </label>
          <div className="relative">
            <Input
              ref={passwordRef}
              id={`${id}-password`}
              name="password"
              type={showPassword ? "text" : "password"}
              autoComplete="current-password"
              required
              value={values.password}
              onChange={(event) => update("password", event.target.value)}
              invalid={Boolean(errors.password)}
              aria-describedby={errors.password ? `${id}-password-error` : undefined}
              className="pr-16"
            />
            <button
              type="button"
              onClick={() => setShowPassword((shown) => !shown)}
                aria-controls={`${id}-password`}
              className="absolute inset-y-0 right-0 my-auto mr-1 h-9 rounded px-2.5 text-xs font-medium text-fg-muted hover:text-fg lg:h-7"
            >
              {showPassword ? "Hide" : "Show"}
              <span className="sr-only"> password</span>
            </button>
          </div>
          {errors.password ? (
            <p id={`${id}-password-error`} className="text-sm text-danger-text">
              {errors.password}
            </p>
          ) : null}
        </div>

        <Button type="submit" disabled={busy} className="w-full">
          {busy ? (
            <>
              <span aria-hidden="true" className="size-4 animate-spin rounded-full border-2 border-white/40 border-t-white" />
              Signing in…
            </>
          ) : (
            "Sign in"
          )}
        </Button>
      </div>
    </form>
  );
}
