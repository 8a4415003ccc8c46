"use client";
import { getProviders, signIn } from "next-auth/react";
import { useEffect, useState, type FormEvent } from "react";
import { signInErrorMessage } from "@/lib/client/callback-url";
import { Button } from "../ui/button";
import { Field, Input } from "../ui/field";

/**
 * Email + password through next-auth's credentials provider, without a full-page redirect so
 * errors show inline. The SSO button appears only when the server has an "oidc" provider.
 */
export function LoginForm({ callbackUrl, initialError }: { callbackUrl: string; initialError: string | null }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);
  const [sso, setSso] = useState<{ id: string; name: string } | null>(null);

  useEffect(() => {
    let cancelled = false;
    getProviders()
      .then((providers) => {
        const oidc = providers?.oidc;
        if (!cancelled && oidc) setSso({ id: oidc.id, name: oidc.name });
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError("Enter your email and password.");
      return;
    }
    setPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", { email, password, redirect: false, callbackUrl });
      if (!result || result.error || !result.ok) {
        setError(signInErrorMessage(result?.error ?? "Unknown"));
        setPending(false);
        return;
      }
      // A full navigation, so every server component sees the new session cookie.
      window.location.assign(callbackUrl);
    } catch {
      setError("Could not reach Rollgate. Check your connection and try again.");
      setPending(false);
    }
  }

  return (
    <div className="auth-form-wrap">
      {error && (
        <div className="alert alert-danger" role="alert" data-testid="sign-in-error">
          {error}
        </div>
      )}
      <form className="auth-form" onSubmit={submit} noValidate>
        <Field label="Email">
          {/* eslint-disable-next-line jsx-a11y/no-autofocus -- signing in is this page's only task */}
          {(p) => <Input {...p} type="email" name="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Password">
          {(p) => <Input {...p} type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <Button type="submit" variant="primary" className="btn-block" loading={pending}>
          Sign in
        </Button>
      </form>
      {sso && (
        <>
          <div className="divider">
            <span>or</span>
          </div>
          <Button className="btn-block" onClick={() => void signIn(sso.id, { callbackUrl })}>
            Continue with {sso.name}
          </Button>
        </>
      )}
    </div>
  );
}
