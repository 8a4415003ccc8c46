import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { LogoMark } from "@/components/shell/logo";
import { safeCallbackUrl, signInErrorMessage } from "@/lib/client/callback-url";
import { sessionActor } from "@/lib/server/auth/guard";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  // Someone already signed in has nothing to do here.
  if (await sessionActor()) redirect(callbackUrl);
  const error = typeof params.error === "string" ? params.error : undefined;

  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-brand">
          <LogoMark size={40} />
          <h1 className="auth-title">Sign in to Rollgate</h1>
          <p className="auth-subtitle">Release control for LLM models and prompts</p>
        </div>
        <LoginForm callbackUrl={callbackUrl} initialError={signInErrorMessage(error)} />
      </div>
      <p className="auth-footnote">Accounts are created by an admin under Settings → Users.</p>
    </main>
  );
}
