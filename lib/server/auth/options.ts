/**
 * next-auth configuration: email + password accounts in Postgres, optional OIDC SSO.
 * Sessions are signed JWT cookies naming a row of `sessions` (./sessions.ts); that row, the
 * roles and the active flag are read from the database on every request, so sign-out, a
 * revocation, a role change or deactivation applies at once. Redirects stay on this origin.
 */
import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { appUrl, getEnv } from "../../env";
import { safeRedirectUrl } from "../../client/callback-url";
import { recordAudit } from "../audit/record-audit";
import { db } from "../db";
import { userActor } from "./actor";
import { openSession, revokeSession, SESSION_MAX_AGE_SECONDS } from "./sessions";
import { signInWithPassword } from "./sign-in";

export const CLIENT_IP_HEADER = "x-rollgate-client-ip";

function clientIp(headers: Record<string, unknown> | undefined): string {
  const v = headers?.[CLIENT_IP_HEADER];
  return typeof v === "string" && v ? v : "unknown";
}

export function buildAuthOptions(): NextAuthOptions {
  const env = getEnv();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        const result = await signInWithPassword({
          email: credentials.email,
          password: credentials.password,
          ip: clientIp(req?.headers as Record<string, unknown> | undefined),
        });
        if (!result.ok) {
          // next-auth turns a thrown Error's message into ?error=… on the sign-in page.
          throw new Error(result.reason === "rate_limited" ? "RateLimited" : "CredentialsSignin");
        }
        return { id: result.user.id, email: result.user.email, name: result.user.name };
      },
    }),
  ];
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    providers.push({
      id: "oidc",
      name: env.OIDC_NAME,
      type: "oauth",
      wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile: { sub: string; email: string; name?: string }) {
        return { id: profile.sub, email: profile.email, name: profile.name ?? profile.email };
      },
    });
  }

  return {
    secret: env.AUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    providers,
    useSecureCookies: appUrl(env).startsWith("https://"),
    events: {
      // Sign-out ends this session for good: the cookie is cleared and its row revoked, so a copy
      // captured earlier stops working too.
      async signOut({ token }) {
        const sid = typeof token?.sid === "string" ? token.sid : null;
        if (!sid) return;
        await db.$transaction(async (tx) => {
          const userId = await revokeSession(tx, sid);
          if (!userId) return;
          const user = await tx.user.findUnique({ where: { id: userId } });
          if (!user) return;
          await recordAudit(tx, { actor: { ...userActor(user), sessionId: sid }, action: "auth.sign_out", resourceType: "user", resourceId: userId });
        });
      },
    },
    callbacks: {
      redirect({ url, baseUrl }) {
        return safeRedirectUrl(url, baseUrl);
      },
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        // SSO users must already exist (an admin creates them with their roles) and be active.
        const existing = user.email ? await db.user.findUnique({ where: { email: user.email.toLowerCase() } }) : null;
        return Boolean(existing?.active);
      },
      async jwt({ token, user, account }) {
        if (user) {
          let uid: string | undefined = user.id;
          if (account?.provider === "oidc" && user.email) {
            const existing = await db.user.findUnique({ where: { email: user.email.toLowerCase() } });
            uid = existing?.id;
          }
          token.uid = uid;
          token.sid = uid ? await openSession(uid) : undefined;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.uid as string | undefined, sid: token.sid as string | undefined } };
      },
    },
  };
}
