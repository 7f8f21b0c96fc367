import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

export const dynamic = "force-dynamic";

/** The Inngest driver's endpoint (HOOKLINE_JOBS=inngest): an Inngest server calls the functions here. */
export const { GET, POST, PUT } = serve({ client: inngest, functions });
