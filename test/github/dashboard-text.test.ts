import { describe, expect, it } from "vitest";
import { readDashboardState, type DashboardState } from "../../src/github/dashboard-state.js";
import { dashboardBody, MAX_BODY_LENGTH, MAX_LISTED, tickedActions, type DashboardInput } from "../../src/github/dashboard-text.js";
import { loadRules } from "../../src/rules/load.js";
import type { Finding } from "../../src/scan/finding.js";

const CATALOG = loadRules();
const SHA = "4f2c9a1e8b7d6c5f4e3a2b1c0d9e8f7a6b5c4d3e";
const STATE: DashboardState = { version: 1, ignores: [], lastScan: { sha: SHA, rules: "0123456789abcdef" } };

function finding(fields: Partial<Finding> & Pick<Finding, "rule" | "file" | "line">): Finding {
  return {
    severity: "medium",
    column: 11,
    message: `container "web" has no thing`,
    resource: { kind: "Deployment", name: "web", namespace: "shop" },
    container: "web",
    fixable: true,
    fingerprint: `${fields.rule}:${fields.file}:${fields.line}`,
    ...fields,
  };
}

function input(fields: Partial<DashboardInput> = {}): DashboardInput {
  return {
    repository: { owner: "acme", repo: "gitops" },
    defaultBranch: "main",
    sha: SHA,
    catalog: CATALOG,
    findings: [],
    pullRequests: [],
    ignores: [],
    problems: { lookups: [], checks: [] },
    state: STATE,
    ...fields,
  };
}

const FOOTER =
  "<sub>Ticking a box makes Shipshape act on it; its next update unticks it. Comment `/shipshape ignore <rule> [path-glob]` on this issue to leave findings out from the next scan on, and `/shipshape unignore <rule>` to bring them back. Closing this issue hides it: Shipshape keeps it up to date without reopening it. `dashboard: false` in `.github/shipshape.yml` turns it off.</sub>";

describe("the dashboard body", () => {
  it("lists findings by rule, most severe first, each linked to its line at the scanned commit, with the pull request that fixes them and a box for the rest", () => {
    const body = dashboardBody(
      input({
        findings: [
          finding({ rule: "liveness-probe-missing", file: "apps/web/deployment.yaml", line: 20, message: 'container "web" has no livenessProbe' }),
          finding({ rule: "privilege-escalation-allowed", severity: "high", file: "apps/web/deployment.yaml", line: 20, message: 'container "web" does not set allowPrivilegeEscalation: false' }),
          finding({ rule: "memory-limit-missing", file: "apps/api/deployment.yaml", line: 31, message: 'container "api" has no resources.limits.memory', resource: { kind: "Deployment", name: "api", namespace: undefined } }),
        ],
        pullRequests: [{ number: 11, title: "Add liveness probes (liveness-probe-missing)", branch: "shipshape/liveness-probe-missing", rules: ["liveness-probe-missing"] }],
      }),
    );

    expect(body).toBe(`Shipshape keeps this issue up to date with what it finds on \`main\`: it edits it in place whenever what it says changes.

**Last scan:** \`main\` at [4f2c9a1](https://github.com/acme/gitops/commit/${SHA}): 3 findings (1 high, 2 medium); 3 fixable automatically.

## Findings

### Container allows privilege escalation

\`privilege-escalation-allowed\` · high severity · 1 finding · 1 fixable

- [apps/web/deployment.yaml:20](https://github.com/acme/gitops/blob/${SHA}/apps/web/deployment.yaml#L20) container "web" does not set allowPrivilegeEscalation: false (Deployment shop/web)

### Container has no liveness probe

\`liveness-probe-missing\` · medium severity · 1 finding · 1 fixable · fixed by #11

- [apps/web/deployment.yaml:20](https://github.com/acme/gitops/blob/${SHA}/apps/web/deployment.yaml#L20) container "web" has no livenessProbe (Deployment shop/web)

### Container has no memory limit

\`memory-limit-missing\` · medium severity · 1 finding · 1 fixable

- [apps/api/deployment.yaml:31](https://github.com/acme/gitops/blob/${SHA}/apps/api/deployment.yaml#L31) container "api" has no resources.limits.memory (Deployment api)

## Open pull requests

- #11 Add liveness probes (liveness-probe-missing) (\`shipshape/liveness-probe-missing\`)

## Ignored

None.

## Problems

None.

## Actions

- [ ] <!-- shipshape:open-pr:memory-limit-missing --> Open a pull request for \`memory-limit-missing\`
- [ ] <!-- shipshape:open-pr:privilege-escalation-allowed --> Open a pull request for \`privilege-escalation-allowed\`
- [ ] <!-- shipshape:rescan --> Rescan now

---

${FOOTER}

<!-- shipshape-dashboard:{"version":1,"ignores":[],"lastScan":{"sha":"${SHA}","rules":"0123456789abcdef"}} -->`);
  });

  it("is the same text whatever order findings, pull requests and ignores come in, so an unchanged scan edits nothing", () => {
    const findings = [
      finding({ rule: "liveness-probe-missing", file: "b.yaml", line: 3 }),
      finding({ rule: "liveness-probe-missing", file: "a.yaml", line: 9 }),
      finding({ rule: "liveness-probe-missing", file: "a.yaml", line: 2 }),
      finding({ rule: "image-tag-mutable", severity: "high", file: "a.yaml", line: 4, fixable: false }),
      finding({ rule: "parse-error", severity: "high", file: "z.yaml", line: 1, fixable: false, resource: undefined }),
      finding({ rule: "parse-error", severity: "high", file: "c.yaml", line: 7, fixable: false, resource: undefined }),
    ];
    const pullRequests = [
      { number: 12, title: "B", branch: "shipshape/b", rules: ["b"] },
      { number: 11, title: "A", branch: "shipshape/a", rules: ["a"] },
    ];
    const ignores = [
      { ignore: { rule: "memory-limit-missing", path: "legacy", by: "hubot" }, hidden: 2 },
      { ignore: { rule: "image-digest-missing", by: "octocat" }, hidden: 0 },
    ];
    const lookups = [
      { reason: "ghcr.io/acme/b:1: the registry answered 404", findings: 1 },
      { reason: "ghcr.io/acme/a:1: the registry answered 401", findings: 2 },
    ];
    const forwards = dashboardBody(input({ findings, pullRequests, ignores, problems: { lookups, checks: ["b", "a"] } }));
    const backwards = dashboardBody(
      input({ findings: [...findings].reverse(), pullRequests: [...pullRequests].reverse(), ignores: [...ignores].reverse(), problems: { lookups: [...lookups].reverse(), checks: ["a", "b", "a"] } }),
    );

    expect(backwards).toBe(forwards);
    expect(forwards.indexOf("a.yaml#L2")).toBeLessThan(forwards.indexOf("a.yaml#L9"));
    expect(forwards.indexOf("a.yaml#L9")).toBeLessThan(forwards.indexOf("b.yaml#L3"));
    expect(forwards.indexOf("### Image uses a mutable tag")).toBeLessThan(forwards.indexOf("### Container has no liveness probe"));
    expect(forwards).toContain("- #11 A (`shipshape/a`)\n- #12 B (`shipshape/b`)");
    expect(forwards).toContain("- `image-digest-missing`, asked by octocat: hides 0 findings\n- `memory-limit-missing` in `legacy`, asked by hubot: hides 2 findings");
    expect(forwards).toContain("- ghcr.io/acme/a:1: the registry answered 401 (2 findings)\n- ghcr.io/acme/b:1: the registry answered 404 (1 finding)");
    expect(forwards).toContain("- a\n- b\n");
  });

  it("puts files that do not parse under Problems, not Findings, and leaves them out of the count", () => {
    const body = dashboardBody(
      input({
        findings: [
          finding({ rule: "parse-error", severity: "high", file: "apps/broken.yaml", line: 6, column: 13, fixable: false, resource: undefined, message: "YAML syntax error: bad indentation of a mapping entry" }),
          finding({ rule: "parse-error", severity: "high", file: "apps/broken.yaml", line: 9, fixable: false, resource: undefined, message: "YAML syntax error: duplicated mapping key" }),
        ],
      }),
    );

    expect(body).toContain("): no findings.");
    expect(body).toContain("## Findings\n\nNothing to report.");
    expect(body).toContain(
      `## Problems\n\n1 file could not be read as configuration:\n\n- [apps/broken.yaml:6](https://github.com/acme/gitops/blob/${SHA}/apps/broken.yaml#L6) YAML syntax error: bad indentation of a mapping entry\n- [apps/broken.yaml:9]`,
    );
    expect(body).not.toContain("open-pr:parse-error");
  });

  it(`lists at most ${MAX_LISTED} findings per rule, and counts the rest`, () => {
    const findings = Array.from({ length: MAX_LISTED + 5 }, (_, index) => finding({ rule: "liveness-probe-missing", file: `apps/app-${String(index).padStart(2, "0")}.yaml`, line: 1 }));
    const body = dashboardBody(input({ findings }));

    expect(body.match(/^- \[apps\/app-/gm)).toHaveLength(MAX_LISTED);
    expect(body).toContain(`apps/app-${MAX_LISTED - 1}.yaml#L1) container "web" has no thing (Deployment shop/web)\n- … and 5 more\n`);
    expect(body).toContain("`liveness-probe-missing` · medium severity · 25 findings · 25 fixable");
  });

  it("lists fewer findings per rule when the body would be longer than GitHub takes", () => {
    const long = "x".repeat(400);
    // 12 rules × 30 findings of 400 characters: too long at 20 a rule, short enough at 5.
    const findings = CATALOG.slice(0, 12).flatMap((rule) =>
      Array.from({ length: 30 }, (_, index) => finding({ rule: rule.id === "parse-error" ? "liveness-probe-missing" : rule.id, file: `apps/${rule.id}/${index}.yaml`, line: index + 1, message: long })),
    );
    const body = dashboardBody(input({ findings }));

    expect(body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
    expect(body).toContain("- … and 25 more");
    expect(readDashboardState(body)).toEqual(STATE);
  });

  it("offers a box only for rules with fixable findings that no open pull request fixes", () => {
    const body = dashboardBody(
      input({
        findings: [
          finding({ rule: "liveness-probe-missing", file: "a.yaml", line: 1 }),
          finding({ rule: "memory-limit-missing", file: "a.yaml", line: 1 }),
          finding({ rule: "image-tag-mutable", file: "a.yaml", line: 2, fixable: false, notFixableReason: "offline" }),
        ],
        // A directory group's pull request fixes what its metadata says.
        pullRequests: [{ number: 4, title: "Shipshape: fix 1 finding in apps", branch: "shipshape/apps", rules: ["memory-limit-missing"] }],
      }),
    );

    expect(body.match(/<!-- shipshape:[^ ]+ -->/g)).toEqual(["<!-- shipshape:open-pr:liveness-probe-missing -->", "<!-- shipshape:rescan -->"]);
  });

  it("shows text from files and people as text: no Markdown, HTML or mention gets through, and links stay links", () => {
    const body = dashboardBody(
      input({
        findings: [finding({ rule: "liveness-probe-missing", file: "apps/web (old)/deploy_v1.yaml", line: 4, message: "container \"a|b\" has no [probe] <!-- here -->", resource: { kind: "Deployment", name: "x*y", namespace: undefined } })],
        ignores: [{ ignore: { rule: "liveness-probe-missing", path: "apps/`legacy`", by: "@octocat" }, hidden: 1 }],
        state: { version: 1, ignores: [{ rule: "liveness-probe-missing", path: "legacy/-->", by: "octocat" }] },
      }),
    );

    expect(body).toContain(
      "- [apps/web (old)/deploy\\_v1.yaml:4](https://github.com/acme/gitops/blob/4f2c9a1e8b7d6c5f4e3a2b1c0d9e8f7a6b5c4d3e/apps/web%20%28old%29/deploy_v1.yaml#L4) container \"a\\|b\" has no \\[probe\\] \\<!-- here --\\> (Deployment x\\*y)",
    );
    expect(body).toContain("- `liveness-probe-missing` in `apps/'legacy'`, asked by @octocat: hides 1 finding");
    // The metadata block survives a path that holds the end of an HTML comment.
    expect(readDashboardState(body).ignores).toEqual([{ rule: "liveness-probe-missing", path: "legacy/-->", by: "octocat" }]);
  });

  it("shows an invalid configuration in a code block that its text cannot close, and keeps the state it was given", () => {
    const state: DashboardState = { version: 1, ignores: [{ rule: "liveness-probe-missing", by: "octocat" }], lastScan: { sha: "0".repeat(40), rules: "fedcba9876543210" } };
    const message = ".github/shipshape.yml: not valid YAML: bad indentation\n\n```\nrules: {\n```";
    const body = dashboardBody(input({ findings: undefined, problems: { config: message, lookups: [], checks: [] }, ignores: [{ ignore: state.ignores[0]!, hidden: undefined }], state }));

    expect(body).toContain(`**Not scanned:** \`main\` at [4f2c9a1](https://github.com/acme/gitops/commit/${SHA}), because the configuration is invalid (see Problems).`);
    expect(body).toContain(`\n\n\`\`\`\`\n${message}\n\`\`\`\`\n\n`);
    expect(body).toContain("## Findings\n\nNot known until the configuration is valid again.");
    expect(body).toContain("- `liveness-probe-missing`, asked by octocat: not applied until the configuration is valid again");
    expect(body).toContain("## Actions\n\n- [ ] <!-- shipshape:rescan --> Rescan now\n");
    expect(readDashboardState(body)).toEqual(state);
  });
});

describe("ticked boxes", () => {
  const body = "## Actions\n\n- [ ] <!-- shipshape:open-pr:liveness-probe-missing --> Open a pull request for `liveness-probe-missing`\n- [ ] <!-- shipshape:open-pr:memory-limit-missing --> Open…\n- [ ] <!-- shipshape:rescan --> Rescan now\n";
  const tick = (text: string, key: string) => text.replace(`- [ ] <!-- shipshape:${key} -->`, `- [x] <!-- shipshape:${key} -->`);

  it("are the boxes that went from unticked to ticked", () => {
    expect(tickedActions(body, tick(body, "rescan"))).toEqual({ rescan: true, openPullRequestFor: [] });
    expect(tickedActions(body, tick(tick(body, "open-pr:memory-limit-missing"), "open-pr:liveness-probe-missing"))).toEqual({ rescan: false, openPullRequestFor: ["liveness-probe-missing", "memory-limit-missing"] });
    // GitHub's editor writes CRLF, and people tick with a capital X.
    expect(tickedActions(body, tick(body, "rescan").replace("[x]", "[X]").replace(/\n/g, "\r\n"))).toEqual({ rescan: true, openPullRequestFor: [] });
  });

  it("are none when a box was ticked already, unticked, added ticked, or when nothing changed", () => {
    const ticked = tick(body, "rescan");
    expect(tickedActions(ticked, ticked)).toEqual({ rescan: false, openPullRequestFor: [] });
    expect(tickedActions(ticked, body)).toEqual({ rescan: false, openPullRequestFor: [] });
    expect(tickedActions(body, `${body}- [x] <!-- shipshape:open-pr:image-tag-mutable --> Open\n`)).toEqual({ rescan: false, openPullRequestFor: [] });
    expect(tickedActions(body, `${body}\nThanks!`)).toEqual({ rescan: false, openPullRequestFor: [] });
    // A box in quoted text is not a box.
    expect(tickedActions("> - [ ] <!-- shipshape:rescan -->", "> - [x] <!-- shipshape:rescan -->")).toEqual({ rescan: false, openPullRequestFor: [] });
  });
});
