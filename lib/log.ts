/**
 * Structured logging: one JSON object per line on stdout (stderr for warnings and errors).
 * Fields whose names suggest a secret are masked, so a careless `log.info({ headers })` cannot
 * leak a key, ticket or signing secret.
 */
type Level = "debug" | "info" | "warn" | "error";
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRET_FIELD =
  /secret|password|passwd|token|ticket|authorization|api[-_]?key|cookie|signature/i;
const SECRET_VALUE = /\b(hk_|whsec_|tkt_)[A-Za-z0-9_\-+/=]{6,}/g;

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

function threshold(): number {
  const wanted = (process.env.HOOKLINE_LOG_LEVEL ?? "info").toLowerCase() as Level;
  return LEVELS[wanted] ?? LEVELS.info;
}

/** Masks secret-looking fields and values, recursively, without touching the input. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(SECRET_VALUE, "$1***");
  if (value === null || typeof value !== "object" || depth > 6) return value;
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redact(value.message, depth + 1),
      code: (value as { code?: unknown }).code,
    };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) && v != null ? "***" : redact(v, depth + 1);
  }
  return out;
}

function write(level: Level, base: LogFields, msg: string, fields?: LogFields) {
  if (LEVELS[level] < threshold()) return;
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    msg: redact(msg),
    ...(redact({ ...base, ...fields }) as LogFields),
  });
  if (level === "warn" || level === "error") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

export function createLogger(base: LogFields = {}): Logger {
  return {
    debug: (msg, f) => write("debug", base, msg, f),
    info: (msg, f) => write("info", base, msg, f),
    warn: (msg, f) => write("warn", base, msg, f),
    error: (msg, f) => write("error", base, msg, f),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
}

export const log = createLogger();
