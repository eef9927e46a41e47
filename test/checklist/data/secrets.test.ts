import { describe, expect, it } from "vitest";
import { deployment, run } from "./run.js";

const secret = (body: string, type = "") => `apiVersion: v1
kind: Secret
metadata:
  name: db
${type}${body}`;

describe("secret-plaintext", () => {
  it("reports a Secret with data or stringData once, at data, naming keys and never values", () => {
    const { seen, findings } = run(
      {
        "a.yaml": secret("data:\n  username: YWRtaW4=\n  password: czNjcjN0\n"),
        "b.yaml": secret("stringData:\n  DATABASE_URL: postgres://app:hunter2@db/app\n", "type: Opaque\n"),
        "c.yaml": secret("data:\n  a: MQ==\nstringData:\n  b: two\n  c: three\n  d: four\n  e: five\n  f: six\n  g: seven\n"),
      },
      ["secret-plaintext"],
    );
    expect(seen).toEqual([
      ["a.yaml", 5, 'Secret "db" is committed unencrypted: keys "username" and "password" in data (base64, readable by anyone)', false, undefined],
      ["b.yaml", 6, 'Secret "db" (Opaque) is committed unencrypted: key "DATABASE_URL" in stringData (plain text)', false, undefined],
      ["c.yaml", 5, 'Secret "db" is committed unencrypted: key "a" in data (base64, readable by anyone) and keys "b", "c", "d", "e", "f" and 1 more in stringData (plain text)', false, undefined],
    ]);
    expect(findings.some((finding) => /hunter2|czNjcjN0/.test(finding.message))).toBe(false);
  });

  it("does not report empty Secrets, substitutions, service-account tokens, SealedSecrets or ExternalSecrets", () => {
    const { seen } = run(
      {
        "a.yaml": secret("data: {}\n"),
        "b.yaml": secret('stringData:\n  password: ${DB_PASSWORD}\n  empty: ""\n'),
        "c.yaml": secret("", "type: kubernetes.io/service-account-token\n"),
        "d.yaml": "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA==\n",
        "e.yaml": "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: db\nspec:\n  data:\n    - secretKey: password\n      remoteRef: {key: db/password}\n",
      },
      ["secret-plaintext"],
    );
    expect(seen).toEqual([]);
  });
});

const env = (entries: string) => `          env:\n${entries}`;

describe("env-secret-literal", () => {
  it("reports literal values of secret-looking names, naming container and variable only", () => {
    const { seen, findings } = run(
      {
        "a.yaml": deployment(
          "api",
          "shop",
          env(
            [
              "            - name: DB_PASSWORD",
              "              value: hunter2",
              "            - name: stripeApiKey",
              '              value: "sk_live_abc"',
              "            - name: GITHUB_TOKEN",
              "              value: changeme",
              "            - name: AWS_SECRET_ACCESS_KEY",
              "              value: wJalrXUtnFEMI",
              "",
            ].join("\n"),
          ),
        ),
      },
      ["env-secret-literal"],
    );
    const message = (name: string) => `container "api" sets ${name} to a literal value in its env: the secret is in the repository for anyone who can read it`;
    expect(seen).toEqual([
      ["a.yaml", 14, message("DB_PASSWORD"), false, undefined],
      ["a.yaml", 16, message("stripeApiKey"), false, undefined],
      ["a.yaml", 18, message("GITHUB_TOKEN"), false, undefined],
      ["a.yaml", 20, message("AWS_SECRET_ACCESS_KEY"), false, undefined],
    ]);
    expect(findings.some((finding) => /hunter2|sk_live|changeme|wJalr/.test(finding.message))).toBe(false);
  });

  it("does not report valueFrom, references, substitutions, empty values or names about a secret", () => {
    const entries = [
      "            - name: DB_PASSWORD",
      "              valueFrom:",
      "                secretKeyRef: {name: db, key: password}",
      "            - name: PGPASSWORD",
      "              value: $(DB_PASSWORD)",
      "            - name: API_TOKEN",
      "              value: ${API_TOKEN}",
      "            - name: SECRET_KEY",
      '              value: ""',
      "            - name: DB_PASSWORD_FILE",
      "              value: /run/secrets/db",
      "            - name: AWS_ACCESS_KEY_ID",
      "              value: AKIAEXAMPLE",
      "            - name: TOKENIZER_MODEL",
      "              value: bert",
      "            - name: LOG_LEVEL",
      "              value: debug",
      "",
    ].join("\n");
    const { seen } = run({ "a.yaml": deployment("api", "shop", env(entries)) }, ["env-secret-literal"]);
    expect(seen).toEqual([]);
  });
});
