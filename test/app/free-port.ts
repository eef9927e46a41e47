import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A port that was free a moment ago. Probot's Server cannot listen on port 0: it
 * reads `options.port || 3000`, so 0 becomes 3000, which other test files may hold.
 */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
