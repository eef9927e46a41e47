import { describe, expect, it } from "vitest";
import { deployment, run } from "./run.js";

const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n${data}`;
const env = (pairs: [string, string][]) => `          env:\n${pairs.map(([name, value]) => `            - name: ${name}\n              value: ${value}\n`).join("")}`;

describe("cors-wildcard", () => {
  it("reports * in env, ConfigMap data and ingress-nginx CORS annotations", () => {
    const { seen } = run(
      {
        "a.yaml": deployment("api", "shop", env([["CORS_ORIGINS", '"*"'], ["API_ALLOWED_ORIGINS", '"https://a.example.com, *"']])),
        "b.yaml": configMap('  ACCESS_CONTROL_ALLOW_ORIGIN: "*"\n  cors.allowed-origins: \'["https://a.example.com", "*"]\'\n'),
        "c.yaml": 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: "true"\nspec: {}\n',
        "d.yaml": 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: "true"\n    nginx.ingress.kubernetes.io/cors-allow-origin: "*"\nspec: {}\n',
      },
      ["cors-wildcard"],
    );
    const any = ": any website can make browsers send requests to it and read the answers";
    expect(seen).toEqual([
      ["a.yaml", 14, `container "api" sets CORS_ORIGINS to allow any origin (*)${any}`, false, undefined],
      ["a.yaml", 16, `container "api" sets API_ALLOWED_ORIGINS to allow any origin (*)${any}`, false, undefined],
      ["b.yaml", 6, `ConfigMap "app" sets ACCESS_CONTROL_ALLOW_ORIGIN to allow any origin (*)${any}`, false, undefined],
      ["b.yaml", 7, `ConfigMap "app" sets cors.allowed-origins to allow any origin (*)${any}`, false, undefined],
      ["c.yaml", 6, 'Ingress "web" enables CORS without nginx.ingress.kubernetes.io/cors-allow-origin, and ingress-nginx then allows any origin (*)', false, undefined],
      ["d.yaml", 7, 'Ingress "web" allows CORS from any origin (*) in nginx.ingress.kubernetes.io/cors-allow-origin', false, undefined],
    ]);
  });

  it("does not report explicit origins, other names, or CORS left off", () => {
    const { seen } = run(
      {
        "a.yaml": deployment("api", "shop", env([["CORS_ORIGINS", '"https://voting.example.com"'], ["PATH_GLOB", '"*"']])),
        "b.yaml": configMap('  ALLOWED_ORIGINS: "https://a.example.com,https://b.example.com"\n  ALLOWED_HOSTS: "*"\n'),
        "c.yaml": 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n    nginx.ingress.kubernetes.io/cors-allow-origin: "*"\nspec: {}\n',
      },
      ["cors-wildcard"],
    );
    expect(seen).toEqual([]);
  });
});

describe("database-tls-disabled", () => {
  it("reports connection strings without TLS, naming the variable and host but never the URL", () => {
    const { seen, findings } = run(
      {
        "a.yaml": deployment(
          "api",
          "shop",
          env([
            ["DATABASE_URL", "postgres://app:hunter2@db.prod:5432/app?sslmode=disable"],
            ["READ_URL", "postgresql://app:hunter2@replica/app"],
            ["REDIS_URL", "redis://:hunter2@redis:6379/0"],
          ]),
        ),
        "b.yaml": configMap(
          [
            '  MONGO_URL: "mongodb+srv://app:hunter2@cluster0.example.net/app?tls=false"',
            "  MYSQL_URL: mysql://app:hunter2@mysql:3306/app?ssl-mode=DISABLED",
            "  JDBC_URL: jdbc:postgresql://db:5432/app?sslmode=prefer",
            "  app.properties: |",
            "    cache=redis://cache-a:6379",
            "",
          ].join("\n"),
        ),
      },
      ["database-tls-disabled"],
    );
    expect(seen).toEqual([
      ["a.yaml", 14, 'container "api" sets DATABASE_URL to a PostgreSQL connection string without TLS (host "db.prod"): sslmode=disable allows plain text', false, undefined],
      ["a.yaml", 16, 'container "api" sets READ_URL to a PostgreSQL connection string without TLS (host "replica"): it sets no sslmode, and libpq\'s default (prefer) falls back to plain text', false, undefined],
      ["a.yaml", 18, 'container "api" sets REDIS_URL to a Redis connection string without TLS (host "redis"): redis:// is plain text (rediss:// uses TLS)', false, undefined],
      ["b.yaml", 6, 'ConfigMap "app" sets MONGO_URL to a MongoDB connection string without TLS (host "cluster0.example.net"): tls=false turns TLS off', false, undefined],
      ["b.yaml", 7, 'ConfigMap "app" sets MYSQL_URL to a MySQL connection string without TLS (host "mysql"): ssl-mode=DISABLED turns TLS off', false, undefined],
      ["b.yaml", 8, 'ConfigMap "app" sets JDBC_URL to a PostgreSQL connection string without TLS (host "db"): sslmode=prefer allows plain text', false, undefined],
      ["b.yaml", 10, 'ConfigMap "app" sets app.properties to a Redis connection string without TLS (host "cache-a"): redis:// is plain text (rediss:// uses TLS)', false, undefined],
    ]);
    expect(findings.some((finding) => finding.message.includes("hunter2"))).toBe(false);
  });

  it("does not report TLS connections, loopback hosts, or values that are not connection strings", () => {
    const { seen } = run(
      {
        "a.yaml": deployment(
          "api",
          "shop",
          env([
            ["DATABASE_URL", "postgres://app@db/app?sslmode=verify-full"],
            ["REDIS_URL", "rediss://redis:6380"],
            ["LOCAL_DB", "postgres://app@localhost:5432/app"],
            ["SIDECAR_CACHE", "redis://127.0.0.1:6379"],
            ["MONGO_URL", "mongodb://mongo-0,mongo-1/app?replicaSet=rs0"],
            ["MYSQL_URL", "mysql://mysql/app?ssl-mode=REQUIRED"],
            ["DOCS", "https://www.postgresql.org/docs/"],
          ]),
        ),
      },
      ["database-tls-disabled"],
    );
    expect(seen).toEqual([]);
  });
});
