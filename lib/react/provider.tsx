"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, useContext, useState, type ReactNode } from "react";
import { createFrontendClient, type FrontendClient } from "@/lib/react/frontend-client";

const HooklineContext = createContext<FrontendClient | null>(null);

export interface HooklineProviderProps {
  /** Where Hookline runs, e.g. `https://hooks.example.com`; empty for the same origin. */
  baseUrl?: string;
  /** Share the product's own QueryClient; one is created otherwise. */
  queryClient?: QueryClient;
  /** A client of one's own (Hookline's console passes one); `baseUrl` is then unused. */
  client?: FrontendClient;
  children: ReactNode;
}

/** Wrap the part of the product's UI that uses Hookline's hooks. */
export function HooklineProvider({
  baseUrl = "",
  queryClient,
  client: givenClient,
  children,
}: HooklineProviderProps) {
  const [client] = useState(() => givenClient ?? createFrontendClient(baseUrl));
  const [ownQueryClient] = useState(
    () =>
      queryClient ??
      new QueryClient({
        defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 5_000 } },
      }),
  );
  return (
    <QueryClientProvider client={ownQueryClient}>
      <HooklineContext.Provider value={client}>{children}</HooklineContext.Provider>
    </QueryClientProvider>
  );
}

export function useHooklineClient(): FrontendClient {
  const client = useContext(HooklineContext);
  if (!client) throw new Error("Hookline hooks must be used inside <HooklineProvider>");
  return client;
}
