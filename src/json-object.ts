/** The JSON text's value when it is an object (not an array or null); undefined for anything else or invalid JSON. */
export function parseJsonObject(json: string): Record<string, unknown> | undefined {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}
