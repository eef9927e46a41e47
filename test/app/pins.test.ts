/**
 * The app pins images through a real registry (docker-registry on loopback) while GitHub is nock: the pull
 * requests hold the digests the registry reports, in the manifest, or in the kustomization listing a base.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dockerImage, ociIndex, pushImage, REGISTRY_MISSING, registryBinary, startLocalRegistry, type LocalRegistry } from "../registry/local-registry.js";
import { copyFilled, fill, REGISTRY_PLACEHOLDER } from "../pins/helpers.js";
import { API, BASE_SHA, FIXTURES, installationCreated, mockPullRequestListings, mockRepositoryRead, OWNER, REPO, startApp, TREE_SHA, watchUnmatched } from "./harness.js";
import { mockDashboardCreate, mockDashboardRead } from "./dashboard-harness.js";

const skip = registryBinary === undefined && process.env["CI"] !== "true";
if (skip) console.warn(`Skipping the app's pin tests: ${REGISTRY_MISSING} (with CI=true they fail instead).`);

const repoPath = `/repos/${OWNER}/${REPO}`;

describe.skipIf(skip)("the app pins images by digest", () => {
  let registry: LocalRegistry | undefined;
  const values: Record<string, string> = {};

  beforeAll(async () => {
    registry = await startLocalRegistry();
    values[REGISTRY_PLACEHOLDER] = registry.host;
    values["DIGEST_WEB"] = await pushImage(registry.host, "acme/web", "1.4", await ociIndex("acme/web 1.4"));
    values["DIGEST_WORKER"] = await pushImage(registry.host, "acme/worker", "latest", await dockerImage("acme/worker latest"));
  });
  afterAll(async () => {
    await registry?.stop();
  });
  beforeEach(() => {
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host === values[REGISTRY_PLACEHOLDER]);
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("opens a pull request per rule with the pinned files, asking the registry once per tag", async () => {
    const { dir, cleanup } = copyFilled(join(FIXTURES, "pins"), values);
    try {
      const requests: string[] = [];
      const app = await startApp({
        env: {},
        dockerConfigPath: "/nonexistent/shipshape-pin-tests/config.json",
        retries: 0,
        fetch: (url, init) => {
          requests.push(`${init.method ?? "GET"} ${new URL(url).pathname}`);
          return fetch(url, init);
        },
      });
      const github = nock(API);
      await mockRepositoryRead(github, { fixtureDir: dir });
      // The dashboard: none yet, so the scan opens it last (what it says is test/app/dashboard.test.ts's business).
      mockDashboardRead(github);
      mockDashboardCreate(github);
      mockPullRequestListings(github);
      const calls: [string, unknown][] = [];
      const record = (name: string) => (body: unknown) => calls.push([name, body]) > 0;
      github
        .post(`${repoPath}/git/trees`, record("tree")).reply(201, { sha: "t1".padEnd(40, "0") })
        .post(`${repoPath}/git/commits`, record("commit")).reply(201, { sha: "c1".padEnd(40, "0") })
        .post(`${repoPath}/git/refs`, record("ref")).reply(201, {})
        .post(`${repoPath}/pulls`, record("pull")).reply(201, { number: 21 })
        .post(`${repoPath}/issues/21/labels`, record("labels")).reply(200, [])
        .post(`${repoPath}/git/trees`, record("tree")).reply(201, { sha: "t2".padEnd(40, "0") })
        .post(`${repoPath}/git/commits`, record("commit")).reply(201, { sha: "c2".padEnd(40, "0") })
        .post(`${repoPath}/git/refs`, record("ref")).reply(201, {})
        .post(`${repoPath}/pulls`, record("pull")).reply(201, { number: 22 })
        .post(`${repoPath}/issues/22/labels`, record("labels")).reply(200, []);
      const unmatched = watchUnmatched();

      await app.deliver("installation", installationCreated());
      unmatched.stop();

      // nock lets the registry's requests through to the real server (and still calls them unmatched).
      expect([unmatched.requests.filter((request) => !request.startsWith("HEAD 127.0.0.1/v2/")), github.pendingMocks()]).toEqual([[], []]);
      expect(requests.sort()).toEqual(["HEAD /v2/acme/web/manifests/1.4", "HEAD /v2/acme/worker/manifests/latest"]);
      const source = (path: string) => readFileSync(join(dir, path), "utf8");
      // Fingerprints hash the image, whose registry port changes every run.
      for (const [name, body] of calls) if (name === "pull") (body as { body: string }).body = (body as { body: string }).body.replace(/"fingerprints":\["[0-9a-f]{32}"\]/, '"fingerprints":["FINGERPRINT"]');
      const reverse = Object.fromEntries(Object.entries(values).map(([placeholder, value]) => [value, placeholder]));
      // SHIPSHAPE_UPDATE_GOLDENS=1 writes the pull request bodies of this run; review them before committing.
      if (process.env["SHIPSHAPE_UPDATE_GOLDENS"] === "1") {
        for (const [, body] of calls.filter(([name]) => name === "pull")) {
          const { head, body: text } = body as { head: string; body: string };
          writeFileSync(join(FIXTURES, "expected", `pr-${head.replace("shipshape/", "")}.md`), fill(text, reverse));
        }
      }
      const golden = (name: string) => fill(readFileSync(join(FIXTURES, "expected", name), "utf8"), values);
      const host = values[REGISTRY_PLACEHOLDER] as string;
      expect(calls).toEqual([
        [
          "tree",
          {
            base_tree: TREE_SHA,
            tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content: source("apps/web/deployment.yaml").replace(`acme/web:1.4\n`, `acme/web:1.4@${values["DIGEST_WEB"]}\n`) }],
          },
        ],
        ["commit", { message: "Ensure images are pinned by digest (image-digest-missing)\n\nMade by Shipshape; the pull request says what changed and why.", tree: "t1".padEnd(40, "0"), parents: [BASE_SHA] }],
        ["ref", { ref: "refs/heads/shipshape/image-digest-missing", sha: "c1".padEnd(40, "0") }],
        ["pull", { title: "Ensure images are pinned by digest (image-digest-missing)", body: golden("pr-image-digest-missing.md"), head: "shipshape/image-digest-missing", base: "main", draft: false }],
        ["labels", { labels: ["shipshape", "supply-chain"] }],
        [
          "tree",
          {
            base_tree: TREE_SHA,
            tree: [
              {
                path: "deploy/base/kustomization.yaml",
                mode: "100644",
                type: "blob",
                content: `${source("deploy/base/kustomization.yaml")}images:\n  - name: ${host}/acme/worker\n    digest: ${values["DIGEST_WORKER"]}\n`,
              },
            ],
          },
        ],
        ["commit", { message: "Replace mutable tags (image-tag-mutable)\n\nMade by Shipshape; the pull request says what changed and why.", tree: "t2".padEnd(40, "0"), parents: [BASE_SHA] }],
        ["ref", { ref: "refs/heads/shipshape/image-tag-mutable", sha: "c2".padEnd(40, "0") }],
        ["pull", { title: "Replace mutable tags (image-tag-mutable)", body: golden("pr-image-tag-mutable.md"), head: "shipshape/image-tag-mutable", base: "main", draft: false }],
        ["labels", { labels: ["shipshape", "supply-chain"] }],
      ]);
    } finally {
      cleanup();
    }
  });
});
