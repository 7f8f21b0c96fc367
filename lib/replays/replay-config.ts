import { getConfig, resetConfigForTests, type ReplayConfig } from "@/lib/config";

/** Replay limits (validated with the rest in lib/config.ts). */
export const getReplayConfig = (): ReplayConfig => getConfig().replay;
export const resetReplayConfigForTests = resetConfigForTests;
export type { ReplayConfig };
