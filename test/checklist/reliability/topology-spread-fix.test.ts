import { describe, expect, it } from "vitest";
import { run } from "./helpers.js";

const RULE = ["topology-spread-missing"];

const BLOCK = `# web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web # the storefront
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
        version: "1.4"
    spec:
      # the only container
      containers:
      - name: web
        image: ghcr.io/acme/web:1.4 # pinned later
        ports:
        - containerPort: 8080
      terminationGracePeriodSeconds: 30
---
apiVersion: v1
kind: Service
metadata:
  name: web
`;

/** What the fix adds to BLOCK: the selector's labels, not the template's version label. */
const BLOCK_FIXED = `# web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web # the storefront
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
        version: "1.4"
    spec:
      # the only container
      containers:
      - name: web
        image: ghcr.io/acme/web:1.4 # pinned later
        ports:
        - containerPort: 8080
      terminationGracePeriodSeconds: 30
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: ScheduleAnyway
        labelSelector:
          matchLabels:
            app.kubernetes.io/name: web
---
apiVersion: v1
kind: Service
metadata:
  name: web
`;

const FLOW = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec:
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db, tier: data}}
    spec: {containers: [{name: db, image: 'postgres:16'}]}  # flow pod spec
`;

const FLOW_FIXED = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec:
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db, tier: data}}
    spec: {containers: [{name: db, image: 'postgres:16'}], topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: db}}}]}  # flow pod spec
`;

/** A Deployment without selector.matchLabels: the template's labels, in a List, with indented sequences. */
const LIST = `apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      replicas: 4
      selector:
        matchExpressions:
          - {key: app, operator: In, values: [api]}
      template:
        metadata:
          labels:
            app: api
            team: "payments"
        spec:
          containers:
            - name: api
              image: ghcr.io/acme/api:2.0
`;

const LIST_FIXED = `${LIST}          topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: kubernetes.io/hostname
              whenUnsatisfiable: ScheduleAnyway
              labelSelector:
                matchLabels:
                  app: api
                  team: payments
`;

const RISK =
  "With whenUnsatisfiable: ScheduleAnyway the constraint is a preference: the scheduler still places a pod when it cannot be spread, so no pod stays Pending because of it. Pods already running are not moved; the spread applies as pods are created, from the next rollout on. Other pods that carry the same labels are counted with these.";

describe("the topology-spread fix", () => {
  it("adds a node spread in block style, keeping comments, quoting and the other documents", () => {
    const { after, changeset } = run({ "web.yaml": BLOCK }, RULE);
    expect(after).toEqual({ "web.yaml": BLOCK_FIXED });
    expect(changeset.skipped).toEqual([]);
    expect(changeset.applied.map((fix) => [fix.rule, fix.file, fix.explanation, fix.risk, fix.risky])).toEqual([
      [
        "topology-spread-missing",
        "web.yaml",
        'Adds a topologySpreadConstraint to the pods of Deployment "web" that spreads them across nodes (topologyKey kubernetes.io/hostname, maxSkew 1), counting the pods labelled app.kubernetes.io/name=web.',
        RISK,
        false,
      ],
    ]);
    // A new scan of the fixed file finds nothing.
    expect(run(after, RULE).findings).toEqual([]);
  });

  it("keeps CRLF line endings", () => {
    const crlf = (text: string) => text.replace(/\n/g, "\r\n");
    expect(run({ "web.yaml": crlf(BLOCK) }, RULE).after).toEqual({ "web.yaml": crlf(BLOCK_FIXED) });
  });

  it("writes into a flow-style pod spec in flow style, keeping the comment after it", () => {
    const { after, changeset } = run({ "db.yaml": FLOW }, RULE);
    expect(after).toEqual({ "db.yaml": FLOW_FIXED });
    expect(changeset.applied.map((fix) => fix.explanation)).toEqual([
      'Adds a topologySpreadConstraint to the pods of StatefulSet "db" that spreads them across nodes (topologyKey kubernetes.io/hostname, maxSkew 1), counting the pods labelled app=db.',
    ]);
  });

  it("counts pods by the template's labels when the selector has no matchLabels, at the file's sequence indentation", () => {
    const { findings, after } = run({ "list.yaml": LIST }, RULE);
    expect(findings.map((finding) => [finding.file, finding.line, finding.fixable])).toEqual([["list.yaml", 18, true]]);
    expect(after).toEqual({ "list.yaml": LIST_FIXED });
  });
});
