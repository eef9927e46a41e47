/** env-secret-literal, cors-wildcard and database-tls-disabled on a Helm chart's env, as each values file makes it. */
import { describe, expect, it } from "vitest";
import { run } from "./run.js";

const RULES = ["env-secret-literal", "cors-wildcard", "database-tls-disabled"];
const CHART = "apiVersion: v2\nname: api\nversion: 1.0.0\n";
const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.0
          env:
            {{- toYaml .Values.env | nindent 12 }}
        - name: worker
          image: ghcr.io/acme/worker:1.0
          env:
            - name: WORKER_PASSWORD
              value: {{ .Values.workerPassword }}
`;
const VALUES = `env:
  - name: LOG_LEVEL
    value: info
  - name: DB_PASSWORD
    value: hunter2-but-longer
  - name: CORS_ALLOWED_ORIGINS
    value: "*"
  - name: DATABASE_URL
    value: postgres://api@db:5432/api?sslmode=disable
workerPassword: not-judged
`;
const PROD = `env:
  - name: LOG_LEVEL
    value: warn
  - name: API_TOKEN
    value: ghp_abcdefghijklmnopqrstuvwxyz0123456789
`;
const IN_TEMPLATE = ' in Deployment templates/deployment.yaml, which takes it from .Values.env';

describe("the env rules on Helm values", () => {
  it("reports each variable at its value, in the values file that sets the list, and only what the template takes from values", () => {
    const { seen, changeset } = run(
      { "charts/api/Chart.yaml": CHART, "charts/api/templates/deployment.yaml": TEMPLATE, "charts/api/values.yaml": VALUES, "charts/api/values-prod.yaml": PROD },
      RULES,
    );
    expect(seen).toEqual([
      ["charts/api/values-prod.yaml", 5, `container "api" sets API_TOKEN to a literal value in its env: the secret is in the repository for anyone who can read it${IN_TEMPLATE}`, false, undefined],
      ["charts/api/values.yaml", 5, `container "api" sets DB_PASSWORD to a literal value in its env: the secret is in the repository for anyone who can read it${IN_TEMPLATE}`, false, undefined],
      [
        "charts/api/values.yaml",
        7,
        `container "api" sets CORS_ALLOWED_ORIGINS to allow any origin (*): any website can make browsers send requests to it and read the answers${IN_TEMPLATE}`,
        false,
        undefined,
      ],
      [
        "charts/api/values.yaml",
        9,
        `container "api" sets DATABASE_URL to a PostgreSQL connection string without TLS (host "db"): sslmode=disable allows plain text${IN_TEMPLATE}`,
        false,
        undefined,
      ],
    ]);
    expect(changeset.files).toEqual([]);
  });

  it("reports nothing when the values set no such variable", () => {
    const { seen } = run({ "charts/api/Chart.yaml": CHART, "charts/api/templates/deployment.yaml": TEMPLATE, "charts/api/values.yaml": "env:\n  - name: LOG_LEVEL\n    value: info\n" }, RULES);
    expect(seen).toEqual([]);
  });

  it("judges Bitnami's extraEnvVars, rendered after the template's own entries, and points at the value", () => {
    const template = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ include "common.names.fullname" . }}
spec:
  template:
    spec:
      containers:
        - name: db
          image: docker.io/bitnami/postgresql:16.4.0
          env:
            - name: BITNAMI_DEBUG
              value: {{ ternary "true" "false" .Values.image.debug | quote }}
            {{- if .Values.extraEnvVars }}
            {{- include "common.tplvalues.render" (dict "value" .Values.extraEnvVars "context" $) | nindent 12 }}
            {{- end }}
`;
    const values = "extraEnvVars:\n  - name: LOG_LEVEL\n    value: info\n  - name: ADMIN_PASSWORD\n    value: s3cr3t-admin-pass\n";
    const { seen } = run({ "charts/db/Chart.yaml": "apiVersion: v2\nname: db\nversion: 1.0.0\n", "charts/db/templates/statefulset.yaml": template, "charts/db/values.yaml": values }, RULES);
    expect(seen).toEqual([
      [
        "charts/db/values.yaml",
        5,
        'container "db" sets ADMIN_PASSWORD to a literal value in its env: the secret is in the repository for anyone who can read it in StatefulSet templates/statefulset.yaml, which takes it from .Values.extraEnvVars',
        false,
        undefined,
      ],
    ]);
  });
});
