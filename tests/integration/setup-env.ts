/** Points the app's one Prisma client (lib/server/db.ts) at this run's fresh database. */
import { inject } from "vitest";
import { resetEnvCache } from "@/lib/env";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.ROLLGATE_SIGNIN_MAX_FAILURES ??= "5";
resetEnvCache();
