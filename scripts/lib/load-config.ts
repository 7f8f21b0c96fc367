import { ConfigError, parseConfig, type Config } from "@/lib/config";

/** The configuration, or one line naming the bad variable and exit code 1. */
export function loadConfigOrExit(): Config {
  try {
    return parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`hookline: invalid configuration: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}
