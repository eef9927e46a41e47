/** The values-schema fix: a values.schema.json inferred from a chart's values.yaml, widened for its other values files. */
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { loadRules } from "../../src/rules/load.js";
import { scanAndFix } from "../checklist/scan-and-fix.js";

const rules = activeRules(loadRules(), {}, ["helm-values-schema-missing"]);

const fix = (files: Record<string, string>) => scanAndFix(files, rules);

const CHART = `apiVersion: v2
name: web
version: 0.1.0
appVersion: "1.16.0"
`;

// As `helm create` writes it, trimmed, with a float, a quoted version and a mixed list.
const VALUES = `# Default values for web.
replicaCount: 1

image:
  repository: nginx
  pullPolicy: IfNotPresent
  # Overrides the image tag whose default is the chart appVersion.
  tag: ""

imagePullSecrets: []
nameOverride: ""

serviceAccount:
  create: true
  annotations: {}
  name:

podAnnotations: {}

service:
  type: ClusterIP
  port: 80

ingress:
  enabled: false
  hosts:
    - host: chart-example.local
      paths:
        - path: /
          pathType: ImplementationSpecific
  tls: []

resources: {}

autoscaling:
  enabled: false
  minReplicas: 1
  targetCPUUtilizationPercentage: 80

version: "1.0"
ratio: 0.5
args: ["--port", 8080]
nodeSelector: {}
tolerations: []
`;

const SCHEMA = `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
    "replicaCount": {
      "type": "integer"
    },
    "image": {
      "type": "object",
      "properties": {
        "repository": {
          "type": "string"
        },
        "pullPolicy": {
          "type": "string"
        },
        "tag": {
          "type": "string"
        }
      }
    },
    "imagePullSecrets": {},
    "nameOverride": {
      "type": "string"
    },
    "serviceAccount": {
      "type": "object",
      "properties": {
        "create": {
          "type": "boolean"
        },
        "annotations": {},
        "name": {}
      }
    },
    "podAnnotations": {},
    "service": {
      "type": "object",
      "properties": {
        "type": {
          "type": "string"
        },
        "port": {
          "type": "integer"
        }
      }
    },
    "ingress": {
      "type": "object",
      "properties": {
        "enabled": {
          "type": "boolean"
        },
        "hosts": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "host": {
                "type": "string"
              },
              "paths": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "path": {
                      "type": "string"
                    },
                    "pathType": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        },
        "tls": {}
      }
    },
    "resources": {},
    "autoscaling": {
      "type": "object",
      "properties": {
        "enabled": {
          "type": "boolean"
        },
        "minReplicas": {
          "type": "integer"
        },
        "targetCPUUtilizationPercentage": {
          "type": "integer"
        }
      }
    },
    "version": {
      "type": "string"
    },
    "ratio": {
      "type": "number"
    },
    "args": {
      "type": "array"
    },
    "nodeSelector": {},
    "tolerations": {}
  }
}
`;

const RISK =
  "helm install, helm upgrade, helm template and helm lint now reject values of other types than the ones written in this repository's values files, including values this repository does not show: files passed by Argo CD's helm.valueFiles or helm.values, and --set flags in scripts and pipelines (--set replicaCount=3 passes, --set-string replicaCount=3 does not). Review the types, and widen the ones that may take another (a port given as a string, a tag given as a number), before merging.";

describe("values-schema: a values.schema.json inferred from the chart's values.yaml", () => {
  it("writes the schema of every value beside Chart.yaml, as a draft pull request", () => {
    const { scanned, changeset, after } = fix({ "charts/web/Chart.yaml": CHART, "charts/web/values.yaml": VALUES });
    expect(scanned.findings.map((finding) => [finding.rule, finding.file, finding.fixable])).toEqual([["helm-values-schema-missing", "charts/web/Chart.yaml", true]]);
    expect(changeset.skipped).toEqual([]);
    expect(after).toEqual({ "charts/web/values.schema.json": SCHEMA });
    expect(changeset.files.map((file) => [file.path, file.created === true])).toEqual([["charts/web/values.schema.json", true]]);
    expect(changeset.applied.map(({ explanation, risk, risky }) => ({ explanation, risk, risky }))).toEqual([
      {
        explanation:
          "Adds charts/web/values.schema.json: a JSON Schema (draft-07) inferred from charts/web/values.yaml that gives the types of the 33 keys it sets, so helm lint, install and upgrade check values against it.",
        risk: RISK,
        risky: true,
      },
    ]);
    // Helm's own check: values.yaml passes its schema.
    const validate = new Ajv({ strict: false }).compile(JSON.parse(SCHEMA) as object);
    expect(validate(JSON.parse(JSON.stringify({ ...plainValues() })))).toBe(true);
  });

  it("widens a type that another values file of the chart sets differently, so that every values file passes", () => {
    const prod = "# Production.\nreplicaCount: \"3\"\nimage:\n  tag: \"1.27\"\nresources:\n  limits:\n    memory: 256Mi\n";
    const { changeset, after } = fix({ "Chart.yaml": CHART, "values.yaml": VALUES, "values-prod.yaml": prod });
    expect(changeset.skipped).toEqual([]);
    const text = after["values.schema.json"] as string;
    const schema = JSON.parse(text) as { properties: Record<string, { type?: unknown }> };
    expect(schema.properties.replicaCount).toEqual({ type: ["integer", "string"] });
    expect(text.replace(/"replicaCount": \{\n {6}"type": \[\n {8}"integer",\n {8}"string"\n {6}\]\n {4}\}/, '"replicaCount": {\n      "type": "integer"\n    }')).toBe(SCHEMA);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(plainValues())).toBe(true);
    expect(validate({ replicaCount: "3", image: { tag: "1.27" }, resources: { limits: { memory: "256Mi" } } })).toBe(true);
    expect(changeset.applied[0]?.explanation).toContain("Where values-prod.yaml set a value of another type, that value accepts both types.");
  });

  it("is not fixable when the chart has no values.yaml", () => {
    const { scanned, changeset } = fix({ "charts/web/Chart.yaml": CHART, "charts/web/values-prod.yaml": "replicaCount: 3\n" });
    expect(scanned.findings.map((finding) => [finding.fixable, finding.notFixableReason])).toEqual([[false, "the chart has no values.yaml to infer a schema from"]]);
    expect(changeset.files).toEqual([]);
    expect(changeset.skipped.map((skip) => skip.reason)).toEqual(["the chart has no values.yaml to infer a schema from"]);
  });

  it("is not fixable when values.yaml is not a map", () => {
    const { scanned } = fix({ "Chart.yaml": CHART, "values.yaml": "- a\n- b\n" });
    expect(scanned.findings.map((finding) => finding.notFixableReason)).toEqual(["the chart's values.yaml does not parse to a map of values to infer a schema from"]);
  });

  it("finds nothing to fix when the chart has a values.schema.json", () => {
    const { scanned, changeset } = fix({ "Chart.yaml": CHART, "values.yaml": VALUES, "values.schema.json": SCHEMA });
    expect(scanned.findings).toEqual([]);
    expect(changeset.files).toEqual([]);
  });
});

/** VALUES as plain data, as Helm reads it. */
function plainValues(): Record<string, unknown> {
  return {
    replicaCount: 1,
    image: { repository: "nginx", pullPolicy: "IfNotPresent", tag: "" },
    imagePullSecrets: [],
    nameOverride: "",
    serviceAccount: { create: true, annotations: {}, name: null },
    podAnnotations: {},
    service: { type: "ClusterIP", port: 80 },
    ingress: { enabled: false, hosts: [{ host: "chart-example.local", paths: [{ path: "/", pathType: "ImplementationSpecific" }] }], tls: [] },
    resources: {},
    autoscaling: { enabled: false, minReplicas: 1, targetCPUUtilizationPercentage: 80 },
    version: "1.0",
    ratio: 0.5,
    args: ["--port", 8080],
    nodeSelector: {},
    tolerations: [],
  };
}
