import { namedValuesOf } from "./data-values.js";
import { NO_PARAMS, type ResourceCheck } from "./types.js";

/** Connection strings of the databases this rule knows, wherever they are in a value (JDBC's `jdbc:` prefix too). */
const CONNECTION = /(?:jdbc:)?(postgres(?:ql)?|redis|mongodb(?:\+srv)?|mysql):\/\/[^\s"'<>`]+/gi;

const PRODUCT: Record<string, string> = { postgres: "PostgreSQL", postgresql: "PostgreSQL", redis: "Redis", mongodb: "MongoDB", "mongodb+srv": "MongoDB", mysql: "MySQL" };

/** Why a connection string does not use TLS, or undefined when it does (or talks to the same machine only). */
export function withoutTls(connection: string): { product: string; hosts: string[]; why: string } | undefined {
  const scheme = (/^(?:jdbc:)?([^:]+):\/\//i.exec(connection)?.[1] ?? "").toLowerCase();
  const rest = connection.slice(connection.indexOf("://") + 3);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const queryStart = rest.indexOf("?");
  const query = new Map<string, string>();
  if (queryStart !== -1) {
    for (const part of rest.slice(queryStart + 1).split(/[&;]/)) {
      const [key = "", value = ""] = part.split("=");
      query.set(key.toLowerCase(), value.toLowerCase());
    }
  }
  // The password sits before the last "@": it is cut off here and never shown.
  const hosts = authority
    .slice(authority.lastIndexOf("@") + 1)
    .split(",")
    .map((host) => host.replace(/^\[([^\]]*)\].*$/, "$1").replace(/:\d*$/, ""))
    .filter((host) => host !== "");
  if (hosts.length > 0 && hosts.every(isLoopback)) return undefined;
  const product = PRODUCT[scheme] ?? scheme;
  const found = (why: string) => ({ product, hosts, why });
  switch (scheme) {
    case "postgres":
    case "postgresql": {
      const mode = query.get("sslmode");
      if (mode === undefined) return query.get("ssl") === "true" ? undefined : found("it sets no sslmode, and libpq's default (prefer) falls back to plain text");
      return ["disable", "allow", "prefer"].includes(mode) ? found(`sslmode=${mode} allows plain text`) : undefined;
    }
    case "redis":
      return found("redis:// is plain text (rediss:// uses TLS)");
    case "mongodb":
    case "mongodb+srv":
      for (const key of ["tls", "ssl"]) if (query.get(key) === "false") return found(`${key}=false turns TLS off`);
      return undefined;
    case "mysql":
      for (const key of ["ssl-mode", "sslmode"]) if (query.get(key) === "disabled") return found(`${key}=DISABLED turns TLS off`);
      return undefined;
    default:
      return undefined;
  }
}

function isLoopback(host: string): boolean {
  const name = host.toLowerCase();
  return name === "localhost" || name === "::1" || /^127(?:\.\d{1,3}){3}$/.test(name);
}

/**
 * Connection strings without TLS in env values and ConfigMap data:
 * postgres(ql):// with sslmode disable/allow/prefer or none, redis://,
 * mongodb(+srv):// with tls=false or ssl=false, mysql:// with
 * ssl-mode=DISABLED. Loopback hosts are not reported. Messages name the
 * variable and the hosts, never the URL (it may hold a password).
 */
export const databaseTlsDisabled: ResourceCheck = {
  name: "database-tls-disabled",
  scope: "resource",
  paramsSchema: NO_PARAMS,
  run(resource) {
    return namedValuesOf(resource).flatMap(({ value, where }) => {
      const problems = [...value.text.matchAll(CONNECTION)].map((match) => withoutTls(match[0])).filter((problem) => problem !== undefined);
      return problems.map((problem, index) => ({
        offset: value.offset,
        message: `${where} to a ${problem.product} connection string without TLS${problem.hosts.length > 0 ? ` (host ${problem.hosts.map((host) => `"${host}"`).join(", ")})` : ""}: ${problem.why}`,
        detail: `${where}#${index + 1}`,
      }));
    });
  },
};
