/**
 * The app writes a missing Chart.lock from a chart repository served over real HTTP while GitHub is nock: the
 * pull request holds the lock `helm dependency update` would write, and the repository's index.yaml is read once.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { helmHashReq, type HelmDependency } from "../../src/lockfiles/helm-lock-digest.js";
import { copyFilled, fill } from "../pins/helpers.js";
import { mockDashboardCreate, mockDashboardRead } from "./dashboard-harness.js";
import { API, BASE_SHA, FIXTURES, installationCreated, mockPullRequestCreation, mockPullRequestListings, mockRepositoryRead, startApp, TREE_SHA, watchUnmatched } from "./harness.js";

const INDEX = "apiVersion: v1\nentries:\n  redis:\n    - { name: redis, version: 17.3.14, urls: [redis-17.3.14.tgz] }\n    - { name: redis, version: 17.3.2, urls: [redis-17.3.2.tgz] }\n";

describe("the app writes stale Helm locks", () => {
  let server: Server | undefined;
  const values: Record<string, string> = {};
  const served: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      served.push(`${request.method} ${request.url}`);
      if (request.url === "/stable/index.yaml") response.writeHead(200).end(INDEX);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    values["INDEX_HOST"] = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });
  beforeEach(() => {
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host === values["INDEX_HOST"]);
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("opens a pull request that adds the Chart.lock, reading index.yaml once", async () => {
    const { dir, cleanup } = copyFilled(join(FIXTURES, "lockfiles"), values);
    try {
      const app = await startApp({ env: {}, dockerConfigPath: "/nonexistent/shipshape-lock-tests/config.json", retries: 0 });
      const github = nock(API);
      await mockRepositoryRead(github, { fixtureDir: dir, config: "now: 2026-11-22T06:00:00Z\n" });
      mockDashboardRead(github);
      mockDashboardCreate(github);
      mockPullRequestListings(github);
      const calls: [string, unknown][] = [];
      const record = (name: string) => (body: unknown) => calls.push([name, body]) > 0;
      mockPullRequestCreation(github, { tree: "t1".padEnd(40, "0"), commit: "c1".padEnd(40, "0"), number: 31 }, record);
      const unmatched = watchUnmatched();

      await app.deliver("installation", installationCreated());
      unmatched.stop();

      // nock lets the index request through to the real server (and still calls it unmatched).
      expect([unmatched.requests.filter((request) => request !== "GET 127.0.0.1/stable/index.yaml"), github.pendingMocks()]).toEqual([[], []]);
      expect(served).toEqual(["GET /stable/index.yaml"]);
      const repository = `http://${values["INDEX_HOST"]}/stable`;
      const dependency = (version: string, condition = ""): HelmDependency => ({ name: "redis", version, repository, condition, tags: null, enabled: false, importValues: null, alias: "" });
      const lock = [
        "dependencies:",
        "- name: redis",
        `  repository: ${repository}`,
        "  version: 17.3.14",
        `digest: ${helmHashReq([dependency("~17.3.0", "redis.enabled")], [dependency("17.3.14")])}`,
        'generated: "2026-11-22T06:00:00Z"',
        "",
      ].join("\n");
      const reverse = Object.fromEntries(Object.entries(values).map(([placeholder, value]) => [value, placeholder]));
      const pull = calls.find(([name]) => name === "pull")?.[1] as { body: string } | undefined;
      // SHIPSHAPE_UPDATE_GOLDENS=1 writes the pull request body of this run; review it before committing.
      if (process.env["SHIPSHAPE_UPDATE_GOLDENS"] === "1" && pull) writeFileSync(join(FIXTURES, "expected", "pr-lockfile-stale.md"), fill(pull.body, reverse));
      expect(calls).toEqual([
        ["tree", { base_tree: TREE_SHA, tree: [{ path: "charts/web/Chart.lock", mode: "100644", type: "blob", content: lock }] }],
        ["commit", { message: "Ensure lockfiles are up to date (lockfile-stale)\n\nMade by Shipshape; the pull request says what changed and why.", tree: "t1".padEnd(40, "0"), parents: [BASE_SHA] }],
        ["ref", { ref: "refs/heads/shipshape/lockfile-stale", sha: "c1".padEnd(40, "0") }],
        [
          "pull",
          {
            title: "Ensure lockfiles are up to date (lockfile-stale)",
            body: fill(readFileSync(join(FIXTURES, "expected", "pr-lockfile-stale.md"), "utf8"), values),
            head: "shipshape/lockfile-stale",
            base: "main",
            draft: false,
          },
        ],
        ["labels", { labels: ["shipshape", "reliability"] }],
      ]);
    } finally {
      cleanup();
    }
  });
});
