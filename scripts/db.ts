/**
 * `npm run db:migrate`            apply pending migrations
 * `npm run db:migration:new NAME` write the next migration from the schema change (prisma/schema.prisma)
 *
 * Uses DATABASE_URL, or the embedded database in HOOKLINE_DATA_DIR (shared with a running server).
 */
import { loadConfigOrExit } from "./lib/load-config";
import { openDatabase } from "@/lib/db/open-database";
import { applyMigrations, diffMigrationsToSchema, writeMigration } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log";

const [command, name] = process.argv.slice(2);
const config = loadConfigOrExit();
const log = createLogger({ component: "db" });

if (command !== "migrate" && command !== "new") {
  console.error("usage: db.ts migrate | db.ts new <name>");
  process.exit(2);
}
if (command === "new" && !name) {
  console.error("usage: npm run db:migration:new -- <name>   (lower_snake_case)");
  process.exit(2);
}

const db = await openDatabase(config, { log, shareRunning: true, maxWaitMs: 30_000 });
let code = 0;
try {
  if (command === "migrate") {
    const applied = await applyMigrations(db.url);
    console.log(applied.length ? `applied: ${applied.join(", ")}` : "no pending migrations");
  } else {
    const sql = await diffMigrationsToSchema(db.url);
    if (!sql) console.log("the schema matches the migrations: nothing to write");
    else console.log(`wrote ${writeMigration(name!, sql)}`);
  }
} catch (err) {
  console.error(`hookline: ${(err as Error).message}`);
  code = 1;
} finally {
  await db.close();
}
process.exit(code);
