import type { IncomingMessage, ServerResponse } from "node:http";

/** What must be true before this replica should receive webhooks. */
export interface Readiness {
  /** Whether the Probot app function has finished loading. Asked on every request. */
  appLoaded: () => boolean;
  hasPrivateKey: boolean;
  hasWebhookSecret: boolean;
}

type HealthHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const HEALTH_PATH = "/healthz";
const READY_PATH = "/readyz";
const ALLOWED_METHODS = "GET, HEAD";

/**
 * HTTP handler for Probot's `addHandler`: `GET /healthz` says the process is alive,
 * `GET /readyz` says whether it can do its job (app loaded, credentials present).
 * Returns false for every other path so Probot's own handlers get the request.
 */
export function healthHandler(readiness: Readiness): HealthHandler {
  return (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== HEALTH_PATH && path !== READY_PATH) return false;

    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") {
      sendJson(res, 405, { status: "method not allowed" }, method, { allow: ALLOWED_METHODS });
      return true;
    }

    if (path === HEALTH_PATH) {
      sendJson(res, 200, { status: "ok" }, method);
      return true;
    }

    const checks = {
      app: readiness.appLoaded(),
      privateKey: readiness.hasPrivateKey,
      webhookSecret: readiness.hasWebhookSecret,
    };
    const ready = checks.app && checks.privateKey && checks.webhookSecret;
    sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready", checks }, method);
    return true;
  };
}

/** Readiness from the environment variables Probot reads its credentials from. */
export function readinessFromEnv(env: NodeJS.ProcessEnv, appLoaded: () => boolean): Readiness {
  return {
    appLoaded,
    hasPrivateKey: isSet(env.PRIVATE_KEY) || isSet(env.PRIVATE_KEY_PATH),
    hasWebhookSecret: isSet(env.WEBHOOK_SECRET),
  };
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== "";
}

function sendJson(res: ServerResponse, status: number, body: unknown, method: string, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
    ...extraHeaders,
  });
  res.end(method === "HEAD" ? undefined : text);
}
