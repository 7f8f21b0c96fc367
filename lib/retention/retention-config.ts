import { getConfig, resetConfigForTests, type RetentionConfig } from "@/lib/config";

/** Payload retention settings (validated with the rest in lib/config.ts). */
export const getRetentionConfig = (): RetentionConfig => getConfig().retention;
export const resetRetentionConfigForTests = resetConfigForTests;
export type { RetentionConfig };
