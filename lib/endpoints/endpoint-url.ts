import { getConfig } from "@/lib/config";
import { apiErrors } from "@/lib/http/errors";
import { checkUrlShape } from "@/lib/net/address-policy";

/**
 * The registration-time URL check: scheme, credentials, length, IP literals and localhost names,
 * without DNS (the seeds' example hosts must register offline). The resolved address is checked
 * again at connect time, which is the check that counts. Returns the URL in its normalised form
 * (what is stored, shown and delivered to).
 */
export function checkEndpointUrl(url: string, field = "url"): string {
  const result = checkUrlShape(url, { allowPrivate: getConfig().allowPrivateTargets });
  if (!result.ok) throw apiErrors.validation([{ field, message: result.reason }]);
  return result.url.href;
}
