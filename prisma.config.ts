import { defineConfig } from "prisma/config";

// Offline machines cannot fetch Prisma's native schema engine. `prisma generate` never runs
// it, but the CLI checks that one exists; migrations go through lib/db/migrate.ts (wasm).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/hookline" },
});
