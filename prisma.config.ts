import { defineConfig } from "prisma/config";

// The CLI only needs a URL for migrate/db commands, which this project runs through its own
// offline runner (scripts/db-migrate.ts); generate works without one.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/rollgate" },
});
