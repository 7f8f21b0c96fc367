/** System tests run the real server: build it once up front rather than inside a test's timeout. */
import { ensureBuilt } from "../../scripts/build";

export function setup() {
  ensureBuilt();
}
