import NextAuth from "next-auth";
import { randomUUID } from "node:crypto";
import { buildAuthOptions } from "@/lib/server/auth/options";
import { problemBody, problemResponse } from "@/lib/server/http/problem";

/**
 * next-auth's endpoints, with the requests it would answer with a 500 turned away first: a GET
 * of the credentials callback (POST only) and a POST that is not a form (its forms are
 * `application/x-www-form-urlencoded`; other bodies make it throw while parsing).
 */
const handler = (req: Request, ctx: unknown) => {
  const refuse = (status: number, code: string, detail: string) => problemResponse(problemBody(status, code, detail, randomUUID()));
  if (req.method === "GET" && new URL(req.url).pathname.endsWith("/callback/credentials")) {
    return refuse(405, "method_not_allowed", "Sign in with a POST of the sign-in form.");
  }
  if (req.method === "POST" && !(req.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) {
    return refuse(415, "unsupported_media_type", "Send the sign-in and sign-out forms as application/x-www-form-urlencoded.");
  }
  return NextAuth(buildAuthOptions())(req, ctx);
};

export { handler as GET, handler as POST };
