import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One Deployment of about 800 bytes; every third lacks a readiness probe, every fourth is digest-pinned. */
function deployment(n: number): string {
  const probe = n % 3 === 0 ? "" : "\n          readinessProbe:\n            httpGet: {path: /readyz, port: http}";
  const digest = n % 4 === 0 ? `@sha256:${"ab".repeat(32)}` : "";
  return `---
# service ${n}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${n}
  namespace: team-${n % 7}
  labels:
    app.kubernetes.io/name: app-${n}
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: app-${n}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-${n}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: app
          image: "registry.example.com/shop/app-${n}:1.${n % 13}.0${digest}"
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}${probe}
`;
}

/** A CustomResourceDefinition padded with schema properties to about `bytes` bytes. */
function largeCrd(index: number, bytes: number): string {
  const head = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets${index}.example.com
spec:
  group: example.com
  names: {kind: Widget${index}, plural: widgets${index}}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
`;
  const parts = [head];
  let size = head.length;
  for (let field = 0; size < bytes; field += 1) {
    const property = `            field${field}:\n              type: string\n              description: "Field ${field} of the widget, kept for compatibility with older clients."\n`;
    parts.push(property);
    size += property.length;
  }
  return parts.join("");
}

export interface GeneratedRepo {
  root: string;
  bytes: number;
  files: number;
}

/** Ten Deployments a file (2,000 in 200 files by default); with `crds`, that many 1 MB CRDs beside them. */
export function generateRepo(root: string, crds = 0, deploymentFiles = 200): GeneratedRepo {
  let bytes = 0;
  let files = 0;
  for (let file = 0; file < deploymentFiles; file += 1) {
    const dir = join(root, "apps", `team-${file % 20}`);
    mkdirSync(dir, { recursive: true });
    const text = Array.from({ length: 10 }, (_, index) => deployment(file * 10 + index)).join("");
    writeFileSync(join(dir, `services-${file}.yaml`), text);
    bytes += Buffer.byteLength(text);
    files += 1;
  }
  for (let index = 0; index < crds; index += 1) {
    mkdirSync(join(root, "crds"), { recursive: true });
    const text = largeCrd(index, 1024 * 1024);
    writeFileSync(join(root, "crds", `widgets-${index}.yaml`), text);
    bytes += Buffer.byteLength(text);
    files += 1;
  }
  return { root, bytes, files };
}
