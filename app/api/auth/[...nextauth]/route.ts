import NextAuth from "next-auth";
import { buildAuthOptions } from "@/lib/server/auth/options";

const handler = (req: Request, ctx: unknown) => NextAuth(buildAuthOptions())(req, ctx);

export { handler as GET, handler as POST };
