/**
 * The operator CLI: `npm run -s hookline -- <command>`.
 *
 *   keys create --name NAME      print a new API key (alone on stdout: `KEY=$(npm run -s hookline -- keys create --name ci)`)
 *   keys list                    list keys (never the keys themselves)
 *   keys revoke ID               revoke a key at once
 *   apps create --slug S --name N [--description D]
 *   apps list
 *   operators create --email E --role admin|viewer [--password-stdin]
 *                                print the new console operator's one-time password (alone on stdout)
 *   operators list
 *
 * Works with DATABASE_URL, or on the embedded database in HOOKLINE_DATA_DIR, shared with a
 * server that is running on it.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfigOrExit } from "./lib/load-config";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/auth/api-keys";
import { createOperator, listOperators, type OperatorRole } from "@/lib/console/operators";
import { createApp } from "@/lib/apps/create-app";
import { listApps } from "@/lib/apps/list-apps";
import { createAppRequest } from "@/lib/apps/schemas";
import { createDatabase, setDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { openDatabase } from "@/lib/db/open-database";
import { hasEmbeddedCluster, liveLockOwner, runningServers } from "@/lib/db/data-dir";
import { ApiError } from "@/lib/http/errors";
import { validateBody } from "@/lib/http/parse";
import { createLogger } from "@/lib/log";

const USAGE = `usage: hookline <command>
  keys create --name NAME
  keys list
  keys revoke ID
  apps create --slug SLUG --name NAME [--description TEXT]
  apps list
  operators create --email EMAIL --role admin|viewer [--password-stdin]
  operators list

Works on the embedded database in HOOKLINE_DATA_DIR (default ./.hookline), sharing it with a
server running there; --init creates that database when the folder has none yet.`;

const ACTOR = "cli";

/**
 * Says which data directory the command works on, warns when running servers use other ones,
 * and never creates a database silently (a key made there would be refused by the server).
 */
function checkDataDir(dataDir: string): void {
  const owner = liveLockOwner(dataDir);
  const servers = runningServers();
  const elsewhere = servers.filter((s) => path.resolve(s.dataDir) !== dataDir);
  console.error(
    `hookline: data directory ${dataDir}${owner ? ` (shared with the server running there, pid ${owner.pid})` : " (no server running on it)"}`,
  );
  if (!owner && elsewhere.length) {
    for (const s of elsewhere)
      console.error(
        `hookline: warning: a Hookline server (pid ${s.pid}, ${s.url}) uses another data directory: ${s.dataDir}`,
      );
    console.error(
      "hookline: set HOOKLINE_DATA_DIR to that folder to work on that server's database",
    );
  }
  if (!owner && !hasEmbeddedCluster(dataDir) && !values.init) {
    fail(
      `there is no Hookline database in ${dataDir}. Run the CLI where you run \`npm start\` or set HOOKLINE_DATA_DIR to the server's data directory; pass --init to create a new database here`,
    );
  }
}

function fail(message: string, code = 1): never {
  console.error(`hookline: ${message}`);
  process.exit(code);
}

function table(rows: Record<string, string>[]) {
  if (!rows.length) return console.log("(none)");
  const cols = Object.keys(rows[0]!);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: Record<string, string>) =>
    cols
      .map((c, i) => r[c]!.padEnd(width[i]!))
      .join("  ")
      .trimEnd();
  console.log(line(Object.fromEntries(cols.map((c) => [c, c.toUpperCase()]))));
  rows.forEach((r) => console.log(line(r)));
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    slug: { type: "string" },
    description: { type: "string" },
    init: { type: "boolean" },
    email: { type: "string" },
    role: { type: "string" },
    "password-stdin": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});
const [group, action, target] = positionals;
if (values.help || !group) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

const commands: Record<string, () => Promise<void>> = {
  "keys create": async () => {
    if (!values.name) fail("keys create needs --name NAME", 2);
    const { key } = await createApiKey({ name: values.name }, ACTOR);
    process.stdout.write(key + "\n");
  },
  "keys list": async () => {
    const keys = await listApiKeys();
    table(
      keys.map((k) => ({
        id: k.id,
        name: k.name,
        prefix: `${k.prefix}...`,
        created: k.createdAt.toISOString(),
        last_used: k.lastUsedAt?.toISOString() ?? "-",
        status: k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active",
      })),
    );
  },
  "keys revoke": async () => {
    if (!target) fail("keys revoke needs the key's ID (see `keys list`)", 2);
    const key = await revokeApiKey(target, ACTOR);
    console.log(`revoked ${key.id} (${key.name})`);
  },
  "apps create": async () => {
    const input = validateBody(createAppRequest, {
      slug: values.slug,
      name: values.name,
      description: values.description,
    });
    const app = await createApp(input, ACTOR);
    console.log(`created app ${app.slug} (${app.id})`);
  },
  "apps list": async () => {
    const { data } = await listApps({ limit: 250 });
    table(
      data.map((a) => ({
        id: a.id,
        slug: a.slug,
        name: a.name,
        created: a.createdAt.toISOString(),
      })),
    );
  },
  "operators create": async () => {
    if (!values.email) fail("operators create needs --email EMAIL", 2);
    if (values.role !== "admin" && values.role !== "viewer")
      fail("operators create needs --role admin or --role viewer", 2);
    const password = values["password-stdin"] ? await readStdinLine() : undefined;
    const created = await createOperator(
      { email: values.email, role: values.role as OperatorRole, password },
      ACTOR,
    );
    console.error(
      `hookline: created ${created.operator.role} ${created.operator.email}; sign in at /console`,
    );
    if (created.generated) {
      console.error("hookline: their one-time password (shown once, never stored):");
      process.stdout.write(created.password + "\n");
    }
  },
  "operators list": async () => {
    const operators = await listOperators();
    table(
      operators.map((o) => ({
        id: o.id,
        email: o.email,
        role: o.role,
        created: o.createdAt.toISOString(),
        locked: o.lockedUntil && o.lockedUntil > new Date() ? o.lockedUntil.toISOString() : "-",
      })),
    );
  },
};

/** The first line of stdin, without its line end (`--password-stdin`). */
async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0]!;
}

const command = commands[`${group} ${action ?? ""}`];
if (!command) fail(`unknown command "${positionals.join(" ")}"\n${USAGE}`, 2);

const config = loadConfigOrExit();
// Diagnostics go to stderr so that stdout carries only the command's answer.
process.env.HOOKLINE_LOG_LEVEL ??= "warn";
const log = createLogger({ component: "cli" });
if (!config.databaseUrl) checkDataDir(config.dataDir);
let opened;
try {
  opened = await openDatabase(config, { log, shareRunning: true, maxWaitMs: 30_000 });
} catch (err) {
  fail((err as Error).message);
}
const db = createDatabase(opened.url, { max: 2 });
setDb(db);
let code = 0;
try {
  await applyMigrations(opened.url);
  await command();
} catch (err) {
  code = 1;
  if (err instanceof ApiError) console.error(`hookline: ${err.message}`);
  else console.error(`hookline: ${(err as Error).message}`);
} finally {
  await db.close();
  await opened.close();
}
process.exit(code);
