import type { App, Endpoint, Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { apiErrors } from "@/lib/http/errors";

type Db = Prisma.TransactionClient;

export const endpointNotFound = (id: string) => apiErrors.notFound(`Endpoint "${id}"`);

/**
 * An endpoint of this app. Deleted endpoints and other apps' endpoints get the same 404 as ids
 * that never existed, so the answer leaks nothing across apps.
 */
export async function getEndpoint(
  app: Pick<App, "id">,
  id: string,
  db: Db = getDb().prisma,
): Promise<Endpoint> {
  const endpoint = await db.endpoint.findFirst({ where: { id, appId: app.id, deletedAt: null } });
  if (!endpoint) throw endpointNotFound(id);
  return endpoint;
}

/** An endpoint by id alone, for the unscoped routes of seed 002 (`/endpoints/{id}/reactivate`). */
export async function getEndpointById(id: string, db: Db = getDb().prisma): Promise<Endpoint> {
  const endpoint = await db.endpoint.findFirst({ where: { id, deletedAt: null } });
  if (!endpoint) throw endpointNotFound(id);
  return endpoint;
}
