import NextAuth from "next-auth";
import { randomUUID } from "node:crypto";
import { buildAuthOptions } from "@/lib/server/auth/options";
import { problemBody, problemResponse } from "@/lib/server/http/problem";

const handler = (req: Request, ctx: unknown) => {
  // next-auth answers a GET of the credentials callback with a 500; it is a client error (POST only).
  if (req.method === "GET" && new URL(req.url).pathname.endsWith("/callback/credentials")) {
    return problemResponse(problemBody(405, "method_not_allowed", "Sign in with a POST of the sign-in form.", randomUUID()));
  }
  return NextAuth(buildAuthOptions())(req, ctx);
};

export { handler as GET, handler as POST };
