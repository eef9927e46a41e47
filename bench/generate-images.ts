import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** One image of the generated repository: `HOST/bench/app-NN:1.0.N`. */
export interface BenchImage {
  repository: string;
  tag: string;
  /** The whole reference, as written in the files. */
  reference: string;
}

export interface GeneratedImageRepo {
  root: string;
  images: BenchImage[];
  /** References written, by the site kind Shipshape should report them as. */
  referencesByKind: Record<string, number>;
  references: number;
}

/** The `count` images, `${host}/bench/app-00:1.0.0` to `${host}/bench/app-NN:1.0.N`. */
export function benchImages(host: string, count: number): BenchImage[] {
  return Array.from({ length: count }, (_, n) => {
    const repository = `bench/app-${String(n).padStart(2, "0")}`;
    const tag = `1.0.${n}`;
    return { repository, tag, reference: `${host}/${repository}:${tag}` };
  });
}

/**
 * A GitOps repository with 200 image references to the 20 images (each written 10 times), spread over every place
 * Shipshape reads images from:
 *
 * | file                                   | references                                        |
 * |----------------------------------------|---------------------------------------------------|
 * | manifests/deployments.yaml             | 60: 20 Deployments × (2 containers + 1 init)      |
 * | manifests/statefulsets.yaml            | 20: 10 StatefulSets × (1 container + 1 init)      |
 * | manifests/cronjobs.yaml                | 20: 10 CronJobs × 2 containers                    |
 * | charts/bench/values.yaml               | 20 `image: {registry, repository, tag}` maps      |
 * | charts/bench/values-prod.yaml          | 20 of the same maps                               |
 * | overlays/prod/kustomization.yaml       | 20 `images:` entries (newName + newTag)           |
 * | docker/svc-{0..4}/Dockerfile           | 10: FROM (ARG default, multi-stage), COPY --from  |
 * | compose.yaml                           | 20 services                                       |
 * | .github/workflows/ci.yml               | 10: 2 jobs × (container + 4 services)             |
 */
export function generateImageRepo(root: string, host: string): GeneratedImageRepo {
  const images = benchImages(host, 20);
  const referencesByKind: Record<string, number> = {};
  let written = 0;
  /** The next image in turn (so each is used equally often), counted under `kind`. */
  const next = (kind: string): BenchImage => {
    referencesByKind[kind] = (referencesByKind[kind] ?? 0) + 1;
    return images[written++ % images.length]!;
  };
  const write = (path: string, text: string): void => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  };

  /** A pod template's lines at `indent`: `template:` with labels and a spec holding these init containers and containers. */
  const podTemplate = (indent: string, name: string, init: readonly [string, string][], containers: readonly [string, string][], extra: string[] = []): string => {
    const list = (key: string, entries: readonly [string, string][]): string[] =>
      entries.length === 0
        ? []
        : [`    ${key}:`, ...entries.flatMap(([container, kind]) => [`      - name: ${container}`, `        image: ${next(kind).reference}`, "        resources:", "          requests: {cpu: 10m, memory: 32Mi}"])];
    const lines = ["template:", "  metadata:", `    labels: {app.kubernetes.io/name: ${name}}`, "  spec:", ...extra.map((line) => `    ${line}`), ...list("initContainers", init), ...list("containers", containers)];
    return lines.map((line) => `${indent}${line}\n`).join("");
  };
  const workload = (kind: string, name: string, spec: string): string => `---\napiVersion: ${kind === "CronJob" ? "batch/v1" : "apps/v1"}\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
  const selector = (name: string): string => `  selector:\n    matchLabels: {app.kubernetes.io/name: ${name}}\n`;

  const deployments = Array.from({ length: 20 }, (_, n) =>
    workload("Deployment", `web-${n}`, `  replicas: 2\n${selector(`web-${n}`)}${podTemplate("  ", `web-${n}`, [["migrate", "pod-spec"]], [["app", "pod-spec"], ["sidecar", "pod-spec"]])}`),
  );
  write("manifests/deployments.yaml", deployments.join(""));

  const statefulSets = Array.from({ length: 10 }, (_, n) =>
    workload("StatefulSet", `db-${n}`, `  serviceName: db-${n}\n${selector(`db-${n}`)}${podTemplate("  ", `db-${n}`, [["init-schema", "pod-spec"]], [["db", "pod-spec"]])}`),
  );
  write("manifests/statefulsets.yaml", statefulSets.join(""));

  const cronJobs = Array.from({ length: 10 }, (_, n) =>
    workload(
      "CronJob",
      `report-${n}`,
      `  schedule: "${n} 3 * * *"\n  jobTemplate:\n    spec:\n${podTemplate("      ", `report-${n}`, [], [["job", "pod-spec"], ["uploader", "pod-spec"]], ["restartPolicy: OnFailure"])}`,
    ),
  );
  write("manifests/cronjobs.yaml", cronJobs.join(""));
  write(
    "manifests/kustomization.yaml",
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployments.yaml\n  - statefulsets.yaml\n  - cronjobs.yaml\n",
  );

  write("charts/bench/Chart.yaml", 'apiVersion: v2\nname: bench\ndescription: Services of the registry bench\nversion: 0.1.0\nappVersion: "1.0.0"\n');
  write(
    "charts/bench/templates/deployment.yaml",
    [
      "{{- range $name, $service := .Values.services }}",
      "---",
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: {{ $name }}",
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: {{ $name }}",
      '          image: "{{ $service.image.registry }}/{{ $service.image.repository }}:{{ $service.image.tag | default $.Chart.AppVersion }}"',
      "{{- end }}",
      "",
    ].join("\n"),
  );
  const values = (kind: string): string => {
    const services = Array.from({ length: 20 }, (_, n) => {
      const image = next(kind);
      const [registry] = image.reference.split("/", 1);
      return `  svc-${n}:\n    replicas: 1\n    image:\n      registry: ${registry}\n      repository: ${image.repository}\n      tag: "${image.tag}"\n      pullPolicy: IfNotPresent\n`;
    });
    return `services:\n${services.join("")}`;
  };
  write("charts/bench/values.yaml", values("helm-values"));
  write("charts/bench/values-prod.yaml", values("helm-values"));

  const kustomizeImages = Array.from({ length: 20 }, () => {
    const image = next("kustomize-images");
    return `  - name: ${image.repository}\n    newName: ${image.reference.slice(0, image.reference.lastIndexOf(":"))}\n    newTag: "${image.tag}"\n`;
  });
  write(
    "overlays/prod/kustomization.yaml",
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: prod\nresources:\n  - ../../manifests\nimages:\n${kustomizeImages.join("")}`,
  );

  // svc-0: the base image is an ARG default; svc-1..3: two-stage builds; svc-4: stage and scratch FROMs (no site) and
  // a COPY --from an image.
  write("docker/svc-0/Dockerfile", `ARG BASE=${next("dockerfile-from").reference}\nFROM \${BASE} AS build\nRUN make\nFROM ${next("dockerfile-from").reference}\nCOPY --from=build /out/app /usr/local/bin/app\nUSER 65532\n`);
  for (let n = 1; n <= 3; n += 1) {
    write(
      `docker/svc-${n}/Dockerfile`,
      `FROM --platform=$BUILDPLATFORM ${next("dockerfile-from").reference} AS build\nWORKDIR /src\nCOPY . .\nRUN make\n\nFROM ${next("dockerfile-from").reference}\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n`,
    );
  }
  write(
    "docker/svc-4/Dockerfile",
    `FROM ${next("dockerfile-from").reference} AS base\nRUN make\nFROM base AS test\nRUN make test\nFROM scratch\nCOPY --from=base /out/app /app\nCOPY --from=${next("dockerfile-copy-from").reference} /etc/ssl/certs /etc/ssl/certs\n`,
  );

  const composeServices = Array.from({ length: 20 }, (_, n) => `  svc-${n}:\n    image: ${next("compose").reference}\n    restart: unless-stopped\n`);
  write("compose.yaml", `services:\n${composeServices.join("")}`);

  const job = (name: string, containerAsMap: boolean): string => {
    const image = next("workflow-container").reference;
    const containerText = containerAsMap ? `    container:\n      image: ${image}\n      options: --user 1001\n` : `    container: ${image}\n`;
    const services = Array.from({ length: 4 }, (_, n) => `      svc-${n}:\n        image: ${next("workflow-service").reference}\n        ports: ["${8080 + n}:8080"]\n`);
    return `  ${name}:\n    runs-on: ubuntu-latest\n${containerText}    services:\n${services.join("")}    steps:\n      - uses: actions/checkout@v4\n      - run: make ${name}\n`;
  };
  write(".github/workflows/ci.yml", `name: ci\non: [push]\njobs:\n${job("test", false)}${job("integration", true)}`);

  return { root, images, referencesByKind, references: written };
}
