/** The colour of a status, shared by badges, alerts and stat cards. */
export type Tone = "ok" | "warn" | "err" | "info" | "neutral" | "brand";

export const toneClasses: Record<Tone, string> = {
  ok: "bg-(--hl-ok-soft) text-(--hl-ok)",
  warn: "bg-(--hl-warn-soft) text-(--hl-warn)",
  err: "bg-(--hl-err-soft) text-(--hl-err)",
  info: "bg-(--hl-info-soft) text-(--hl-info)",
  neutral: "bg-(--hl-neutral-soft) text-(--hl-muted)",
  brand: "bg-(--hl-brand-soft) text-(--hl-brand-text)",
};
