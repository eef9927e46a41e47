import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { chartContainers, type ChartContainer, type FieldSource } from "../../src/helm/chart-containers.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/helm/", import.meta.url));

/** Every file of a fixture chart, with paths relative to the fixtures folder (`web/templates/…`). */
function chartFiles(name: string): { path: string; text: string }[] {
  const walk = (dir: string): string[] => readdirSync(join(FIXTURES, dir)).sort().flatMap((entry) => (statSync(join(FIXTURES, dir, entry)).isDirectory() ? walk(`${dir}/${entry}`) : [`${dir}/${entry}`]));
  return walk(name).map((path) => ({ path, text: readFileSync(join(FIXTURES, path), "utf8") }));
}

/** A chart as chartContainers takes it: its templates, subcharts' included. */
function chartOf(name: string): { root: string; templates: { path: string; text: string }[] } {
  return { root: name, templates: chartFiles(name).filter((file) => file.path.includes("/templates/")) };
}

/** 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

type Lined<T> = T extends { offset: number } ? Omit<T, "offset"> & { line: number } : never;
type LinedContainer = Omit<ChartContainer, "offset" | "workloadOffset" | "fields" | "podSecurityContext"> & {
  line: number;
  workloadLine: number;
  fields: Record<string, Lined<FieldSource>>;
  podSecurityContext: Lined<FieldSource>;
};

/** The containers of a chart, offsets as 1-based lines of their template. */
function containersOf(chart: { root: string; templates: { path: string; text: string }[] }): LinedContainer[] {
  const textOf = (path: string): string => chart.templates.find((t) => t.path === path)!.text;
  return chartContainers(chart).map(({ offset, workloadOffset, fields, podSecurityContext, ...rest }) => {
    const text = textOf(rest.template);
    const lined = ({ offset: at, ...source }: FieldSource): Lined<FieldSource> => ({ ...source, line: lineOf(text, at) }) as Lined<FieldSource>;
    return {
      ...rest,
      line: lineOf(text, offset),
      workloadLine: lineOf(text, workloadOffset),
      fields: Object.fromEntries(Object.entries(fields).map(([name, source]) => [name, lined(source)])),
      podSecurityContext: lined(podSecurityContext),
    };
  });
}

const absent = (line: number) => ({ kind: "absent", line });

describe("chartContainers", () => {
  it("follows helm create (3.14+) values, a helper's literal probes, and a CronJob without probes; skips subcharts", () => {
    expect(containersOf(chartOf("web"))).toEqual([
      {
        chart: "web", template: "web/templates/cronjob.yaml", workloadKind: "CronJob", workloadLine: 2, list: "containers", name: "cleanup", line: 14,
        fields: { livenessProbe: absent(14), readinessProbe: absent(14), startupProbe: absent(14), resources: absent(14), securityContext: absent(14), env: absent(14) },
        podSecurityContext: absent(12),
        ports: [],
      },
      {
        chart: "web", template: "web/templates/deployment.yaml", workloadKind: "Deployment", workloadLine: 1, list: "containers", name: "{{ .Chart.Name }}", line: 32,
        fields: {
          livenessProbe: { kind: "values", path: ["livenessProbe"], line: 41 },
          readinessProbe: { kind: "values", path: ["readinessProbe"], line: 43 },
          startupProbe: absent(32),
          resources: { kind: "values", path: ["resources"], line: 45 },
          securityContext: { kind: "values", path: ["securityContext"], line: 33 },
          env: absent(32),
        },
        podSecurityContext: { kind: "values", path: ["podSecurityContext"], line: 28 },
        ports: [{ name: "http" }],
      },
      {
        chart: "web", template: "web/templates/worker.yaml", workloadKind: "Deployment", workloadLine: 1, list: "containers", name: "worker", line: 18,
        fields: {
          livenessProbe: { kind: "template", line: 21 },
          readinessProbe: { kind: "template", line: 21 },
          startupProbe: absent(18),
          resources: { kind: "values", path: ["worker", "resources"], line: 23 },
          securityContext: absent(18),
          env: absent(18),
        },
        podSecurityContext: absent(17),
        ports: [],
      },
    ]);
  });

  it("sees the literal probes of an older helm create", () => {
    expect(containersOf(chartOf("web-legacy"))).toEqual([
      {
        chart: "web-legacy", template: "web-legacy/templates/deployment.yaml", workloadKind: "Deployment", workloadLine: 1, list: "containers", name: "{{ .Chart.Name }}", line: 22,
        fields: {
          livenessProbe: { kind: "template", line: 31 },
          readinessProbe: { kind: "template", line: 35 },
          startupProbe: absent(22),
          resources: { kind: "values", path: ["resources"], line: 39 },
          securityContext: { kind: "values", path: ["securityContext"], line: 23 },
          env: absent(22),
        },
        podSecurityContext: { kind: "values", path: ["podSecurityContext"], line: 19 },
        ports: [{ name: "http", containerPort: 80 }],
      },
    ]);
  });

  it("reads Bitnami's if/else patterns: enabled guards, custom probe alternatives, resources presets", () => {
    const podSecurityContext = { kind: "values", path: ["primary", "podSecurityContext"], enabledPath: ["primary", "podSecurityContext", "enabled"], line: 19 };
    expect(containersOf(chartOf("db"))).toEqual([
      {
        chart: "db", template: "db/templates/primary-statefulset.yaml", workloadKind: "StatefulSet", workloadLine: 2, list: "initContainers", name: "init-chmod-data", line: 23,
        fields: {
          livenessProbe: absent(23),
          readinessProbe: absent(23),
          startupProbe: absent(23),
          resources: { kind: "values", path: ["volumePermissions", "resources"], preset: ["volumePermissions", "resourcesPreset"], line: 30 },
          securityContext: { kind: "values", path: ["volumePermissions", "containerSecurityContext"], line: 34 },
          env: absent(23),
        },
        podSecurityContext,
        ports: [],
      },
      {
        chart: "db", template: "db/templates/primary-statefulset.yaml", workloadKind: "StatefulSet", workloadLine: 2, list: "containers", name: "postgresql", line: 40,
        fields: {
          livenessProbe: { kind: "values", path: ["primary", "livenessProbe"], enabledPath: ["primary", "livenessProbe", "enabled"], line: 61 },
          readinessProbe: { kind: "values", path: ["primary", "readinessProbe"], enabledPath: ["primary", "readinessProbe", "enabled"], line: 71 },
          startupProbe: { kind: "values", path: ["primary", "startupProbe"], enabledPath: ["primary", "startupProbe", "enabled"], line: 51 },
          resources: { kind: "values", path: ["primary", "resources"], preset: ["primary", "resourcesPreset"], line: 82 },
          securityContext: { kind: "values", path: ["primary", "containerSecurityContext"], enabledPath: ["primary", "containerSecurityContext", "enabled"], line: 43 },
          env: absent(40),
        },
        podSecurityContext,
        ports: [{ name: "tcp-postgresql" }],
      },
    ]);
  });

  it("says unknown for an include of a helper it cannot read, and for a key-level output it cannot follow", () => {
    const text = [
      "kind: Job",
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: a",
      '          {{- include "mychart.probes" . | nindent 10 }}',
      "        - name: b",
      "          {{- toYaml .Values.extra | nindent 10 }}",
      "          resources: {}",
    ].join("\n");
    const [a, b] = containersOf({ root: "c", templates: [{ path: "c/templates/job.yaml", text }] });
    const reasonA = 'include "mychart.probes" of a helper that is not read';
    expect(a!.fields.livenessProbe).toEqual({ kind: "unknown", line: 7, reason: reasonA });
    expect(a!.fields.securityContext).toEqual({ kind: "unknown", line: 7, reason: reasonA });
    expect(b!.fields.startupProbe).toEqual({ kind: "unknown", line: 9, reason: "{{- toYaml .Values.extra | nindent 10 }} may write it" });
    expect(b!.fields.resources).toEqual({ kind: "template", line: 10 });
    expect(a!.podSecurityContext).toEqual(absent(5));
  });

  it("reads an output written right after its key, and `.Values` through with and `$`", () => {
    const text = [
      "kind: DaemonSet",
      "spec:",
      "  template:",
      "    spec:",
      "      {{- with .Values.agent }}",
      "      containers:",
      "        - name: agent",
      "          securityContext: {{ toJson .securityContext }}",
      "          livenessProbe: {{- toYaml $.Values.probes.liveness | nindent 12 }}",
      '          resources: {{- include "agent.resources" . | nindent 12 }}',
      "      {{- end }}",
    ].join("\n");
    const helpers = '{{- define "agent.resources" -}}\n{{ toYaml .resources }}\n{{- end }}\n';
    const [agent] = containersOf({ root: "c", templates: [{ path: "c/templates/agent.yaml", text }, { path: "c/templates/_helpers.tpl", text: helpers }] });
    expect(agent!.fields).toEqual({
      livenessProbe: { kind: "values", path: ["probes", "liveness"], line: 9 },
      readinessProbe: absent(7),
      startupProbe: absent(7),
      resources: { kind: "values", path: ["agent", "resources"], line: 10 },
      securityContext: { kind: "values", path: ["agent", "securityContext"], line: 8 },
      env: absent(7),
    });
  });

  it("does not throw on a template with a broken action: its fields are unknown", () => {
    const text = [
      "kind: Deployment",
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: app",
      "          resources:",
      "            {{- toYaml .Values.resources | nindent 12 }",
      "          image: {{ .Values.image }}",
    ].join("\n");
    const chart = { root: "", templates: [{ path: "templates/broken.yaml", text }] };
    expect(() => chartContainers(chart)).not.toThrow();
    const [container] = containersOf(chart);
    expect(container!.name).toBe("app");
    expect(Object.values(container!.fields).map((source) => source.kind)).toEqual(["unknown", "unknown", "unknown", "unknown", "unknown", "unknown"]);
    expect(container!.fields.resources).toMatchObject({ line: 7, reason: expect.stringContaining("unclosed action") });
  });

  it("follows env from values, and tells a literal env list apart", () => {
    const text = [
      "kind: Deployment",
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: api",
      "          env:",
      "            {{- toYaml .Values.env | nindent 12 }}",
      "        - name: worker",
      "          env:",
      "            - name: MODE",
      "              value: worker",
    ].join("\n");
    const [api, worker] = containersOf({ root: "", templates: [{ path: "templates/deployment.yaml", text }] });
    expect([api!.fields.env, worker!.fields.env]).toEqual([{ kind: "values", path: ["env"], line: 7 }, { kind: "template", line: 10 }]);
  });
});
