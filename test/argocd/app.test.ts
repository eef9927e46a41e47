/**
 * The app pins an Argo CD source that tracks a branch: after the look-up step it asks GitHub which commit the
 * branch points at (one request per repository and ref), rescans, and opens a pull request that writes that SHA.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mockDashboardCreate, mockDashboardRead } from "../app/dashboard-harness.js";
import { BASE_SHA, installationCreated, mockPullRequestListings, mockRepositoryRead, OWNER, REPO, TREE_SHA, useAppSession } from "../app/harness.js";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "argocd", "app-repo");
const repoPath = `/repos/${OWNER}/${REPO}`;
const MAIN_SHA = "7fd1a60b01f91b314f59955a4e4d4e80d8edf11d";

describe("the app pins Argo CD sources to commits", () => {
  const session = useAppSession();

  it("asks GitHub for the commit of main and opens a pull request that sets targetRevision to it", async () => {
    const { app, github } = session;
    await mockRepositoryRead(github, { fixtureDir: FIXTURE });
    github.get(`${repoPath}/commits/main`).reply(200, MAIN_SHA, { "content-type": "application/vnd.github.sha; charset=utf-8" });
    mockPullRequestListings(github);
    github
      .post(`${repoPath}/git/trees`).reply(201, { sha: "t1".padEnd(40, "0") })
      .post(`${repoPath}/git/commits`).reply(201, { sha: "c1".padEnd(40, "0") })
      .post(`${repoPath}/git/refs`).reply(201, {})
      .post(`${repoPath}/pulls`).reply(201, { number: 31 })
      .post(`${repoPath}/issues/31/labels`).reply(200, []);
    mockDashboardRead(github);
    mockDashboardCreate(github);

    await app.deliver("installation", installationCreated());
    session.expectAllAnswered();

    const calls = new Map(session.calls.map(([call, body]) => [call.replace(/\?.*$/, ""), body]));
    const order = (wanted: string) => session.calls.findIndex(([call]) => call.startsWith(wanted));
    // After the tarball is read, before the pull requests are looked at.
    expect(order(`GET ${repoPath}/tarball/${BASE_SHA}`)).toBeLessThan(order(`GET ${repoPath}/commits/main`));
    expect(order(`GET ${repoPath}/commits/main`)).toBeLessThan(order(`GET ${repoPath}/pulls`));
    const original = readFileSync(join(FIXTURE, "apps", "hello.yaml"), "utf8");
    expect(calls.get(`POST ${repoPath}/git/trees`)).toEqual({
      base_tree: TREE_SHA,
      tree: [{ path: "apps/hello.yaml", mode: "100644", type: "blob", content: original.replace('targetRevision: "main"   #', `targetRevision: "${MAIN_SHA}"   #`) }],
    });
    const pull = calls.get(`POST ${repoPath}/pulls`) as { title: string; body: string; head: string; draft: boolean };
    expect([pull.title, pull.head, pull.draft]).toEqual(["Replace mutable revisions (argocd-target-revision-mutable)", "shipshape/argocd-target-revision-mutable", false]);
    const golden = join(FIXTURE, "..", "expected", "pr-argocd-target-revision-mutable.md");
    // SHIPSHAPE_UPDATE_GOLDENS=1 writes the pull request body of this run; review it before committing.
    if (process.env["SHIPSHAPE_UPDATE_GOLDENS"] === "1") writeFileSync(golden, pull.body);
    expect(pull.body).toBe(readFileSync(golden, "utf8"));
  });

  it("opens no pull request when GitHub has no such branch (the finding stays, not fixable)", async () => {
    const { app, github } = session;
    await mockRepositoryRead(github, { fixtureDir: FIXTURE });
    github.get(`${repoPath}/commits/main`).reply(422, { message: "No commit found for SHA: main" });
    mockPullRequestListings(github);
    mockDashboardRead(github);
    mockDashboardCreate(github);

    await app.deliver("installation", installationCreated());
    session.expectAllAnswered();

    const dashboard = session.calls.find(([call]) => call === `POST ${repoPath}/issues`)?.[1] as { body: string };
    expect(dashboard.body).toContain('Application "hello-prod" tracks the branch "main" of https://github.com/Codertocat/Hello-World');
    expect(session.calls.some(([call]) => call.startsWith(`POST ${repoPath}/git/`))).toBe(false);
  });
});
