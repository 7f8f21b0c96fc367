import { getConfig, resetConfigForTests, type EngineConfig } from "@/lib/config";

/** The delivery engine's settings (validated with the rest in lib/config.ts). */
export const getEngineConfig = (): EngineConfig => getConfig().engine;
export const resetEngineConfigForTests = resetConfigForTests;
export type { EngineConfig };
