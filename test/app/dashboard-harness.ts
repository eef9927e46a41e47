import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type nock from "nock";
import { expect } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DASHBOARD_LABEL, DASHBOARD_TITLE, ruleSetHash } from "../../src/github/dashboard-state.js";
import { catalogHash } from "../../src/github/scan-inputs.js";
import type { RegistryClientOptions } from "../../src/registry/types.js";
import { loadRules } from "../../src/rules/load.js";
import { BOT, type Call, FIXTURES, INSTALLATION, OWNER, PERSON, REPO, startApp, type TestApp } from "./harness.js";

const repoPath = `/repos/${OWNER}/${REPO}`;

/** The query of findDashboard's one request, as the interceptor matches it and as recordCalls writes it. */
export const DASHBOARD_LISTING = { labels: DASHBOARD_LABEL, state: "all", sort: "created", direction: "asc", per_page: 10 };
const DASHBOARD_LISTING_PATH = `${repoPath}/issues?labels=${DASHBOARD_LABEL}&state=all&sort=created&direction=asc&per_page=10`;

/** The dashboard read every scan makes (with the dashboard on): the listing of issues labelled shipshape-dashboard. */
export function mockDashboardRead(scope: nock.Scope, issues: object[] = []): void {
  scope.get(`${repoPath}/issues`).query(DASHBOARD_LISTING).reply(200, issues);
}

export const DASHBOARD_READ: Call = [`GET ${DASHBOARD_LISTING_PATH}`, undefined];
/** The same call as errors-harness's CallLog writes it. */
export const DASHBOARD_READ_LOGGED = `GET ${DASHBOARD_LISTING_PATH}`;

/** Opening the dashboard, whatever it says: what scans that are about something else do last. */
export const DASHBOARD_CREATED: Call = dashboardCreateCall();

/** GitHub's answer to opening the dashboard. */
export function mockDashboardCreate(scope: nock.Scope, number = 5): void {
  scope.post(`${repoPath}/issues`).reply(201, dashboardIssueJson({ number, body: "" }));
}

/** GitHub's answer to editing the dashboard's body. */
export function mockDashboardUpdate(scope: nock.Scope, number = 5): void {
  scope.patch(`${repoPath}/issues/${number}`).reply(200, dashboardIssueJson({ number, body: "" }));
}

/** Opening the dashboard: its title, body and label (any body, unless one is given). */
export function dashboardCreateCall(body: unknown = expect.any(String)): Call {
  return [`POST ${repoPath}/issues`, { title: DASHBOARD_TITLE, body, labels: [DASHBOARD_LABEL] }];
}

export function dashboardUpdateCall(number: number, body: unknown = expect.any(String)): Call {
  return [`PATCH ${repoPath}/issues/${number}`, { body }];
}

/** The dashboard issue as GitHub's issue listing returns it (the fields that matter, in their real shape). */
export function dashboardIssueJson(fields: { number: number; body: string; state?: "open" | "closed"; user?: object }): object {
  return {
    url: `https://api.github.com${repoPath}/issues/${fields.number}`,
    html_url: `https://github.com/${OWNER}/${REPO}/issues/${fields.number}`,
    id: 2400000000 + fields.number,
    node_id: `I_kwDOCyNiCs6${fields.number}`,
    number: fields.number,
    title: DASHBOARD_TITLE,
    user: fields.user ?? BOT,
    labels: [{ id: 7000000002, node_id: "LA_kwDOCyNiCs8AAAABdashboard", name: DASHBOARD_LABEL, color: "0e8a16", default: false }],
    state: fields.state ?? "open",
    locked: false,
    comments: 0,
    created_at: "2024-05-01T09:00:00Z",
    updated_at: "2024-05-01T09:00:00Z",
    closed_at: fields.state === "closed" ? "2024-05-02T09:00:00Z" : null,
    author_association: "NONE",
    body: fields.body,
    performed_via_github_app: { id: 1, slug: "shipshape", name: "Shipshape" },
  };
}

/**
 * An `issues.edited` webhook for the dashboard, as an installation receives it: the body now, and
 * `changes.body.from`, the body before the edit. `sender` is who edited it (a person by default).
 */
export function dashboardEdited(fields: { number?: number; body: string; from: string; sender?: object; labels?: boolean; author?: object }): object {
  const issue = dashboardIssueJson({ number: fields.number ?? 5, body: fields.body, ...(fields.author ? { user: fields.author } : {}) }) as Record<string, unknown>;
  if (fields.labels === false) issue["labels"] = [];
  return {
    action: "edited",
    issue,
    changes: { body: { from: fields.from } },
    repository: { id: 186853002, node_id: "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=", name: REPO, full_name: `${OWNER}/${REPO}`, private: false, owner: { login: OWNER, id: 21031067, type: "User" }, default_branch: "main" },
    sender: fields.sender ?? PERSON,
    installation: { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uOTU3Mzg3" },
  };
}

/** Ticks the box whose marker is `shipshape:<key>` (`rescan`, `open-pr:<rule>`) in a dashboard body. */
export function tick(body: string, key: string): string {
  const box = `- [ ] <!-- shipshape:${key} -->`;
  if (!body.includes(box)) throw new Error(`no unticked box ${key} in the dashboard body`);
  return body.replace(box, `- [x] <!-- shipshape:${key} -->`);
}

/** The app as the server runs it (the dashboard's checkbox events included), offline for registries unless told. */
export const startDashboardApp = (registry: RegistryClientOptions = { offline: true }): Promise<TestApp> => startApp(registry);

const EXPECTED = join(FIXTURES, "expected");
/** The hashes in the metadata change with every rule added to the catalog: golden files hold placeholders for them. */
const CATALOG = loadRules();
const HASHES: Record<string, string> = { RULES_HASH: ruleSetHash(activeRules(CATALOG, {})), CATALOG_HASH: catalogHash(CATALOG) };

/** A dashboard golden file (test/fixtures/app/expected/dashboard-*.md) as Shipshape writes it now, with a default config. */
export function dashboardGolden(name: string): string {
  return Object.entries(HASHES).reduce((text, [placeholder, hash]) => text.replaceAll(`"${placeholder}"`, `"${hash}"`), readFileSync(join(EXPECTED, name), "utf8"));
}

/** A dashboard body must equal its golden file. SHIPSHAPE_UPDATE_GOLDENS=1 writes the file from this run instead: review the diff before committing. */
export function expectDashboardGolden(body: unknown, name: string): void {
  if (process.env["SHIPSHAPE_UPDATE_GOLDENS"] === "1") {
    writeFileSync(join(EXPECTED, name), Object.entries(HASHES).reduce((text, [placeholder, hash]) => text.replaceAll(`"${hash}"`, `"${placeholder}"`), String(body)));
  }
  expect(body).toBe(dashboardGolden(name));
}
