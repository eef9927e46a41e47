import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTwoFilesPatch } from "diff";
import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS } from "../../src/config/types.js";
import type { Changeset } from "../../src/fixes/changeset.js";
import { diffFindings } from "../../src/github/finding-diff.js";
import { changedLinesOf, hunkHolding, type ChangedLines } from "../../src/github/patch-lines.js";
import { lineEditOf, suggestionComment, suggestionComments } from "../../src/github/suggestions.js";
import { loadRules } from "../../src/rules/load.js";
import type { Finding } from "../../src/scan/finding.js";
import { scanFiles, type ScanResult } from "../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../src/workspace/load.js";

const RULES = activeRules(loadRules(), {});
const FIX = { rules: RULES, settings: DEFAULT_FIX_SETTINGS, limits: DEFAULT_LIMITS };
const PATH = "apps/web/deployment.yaml";
const BASE = readFileSync(join(import.meta.dirname, "..", "fixtures", "checks", "base", PATH), "utf8");
/**
 * The base deployment with a second container appended: it lacks a liveness probe, a memory limit, allowPrivilegeEscalation: false,
 * capabilities.drop: [ALL] and readOnlyRootFilesystem (which has no fix). The pod's seccompProfile covers it.
 */
const HEAD = `${BASE}        - name: proxy
          image: ghcr.io/acme/proxy:1.0.0@sha256:7bcd3f1e0a7f6b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
          ports:
            - name: admin
              containerPort: 9901
          readinessProbe:
            httpGet:
              path: /ready
              port: admin
`;

function scan(text: string): ScanResult {
  return scanFiles(loadWorkspaceFromFiles([{ path: PATH, bytes: Buffer.from(text) }], { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] }), { rules: RULES });
}

/** The hunks GitHub shows for a change (three lines of context), as the pull request files listing gives them. */
function patchOf(before: string, after: string): string {
  const full = createTwoFilesPatch(`a/${PATH}`, `b/${PATH}`, before, after, "", "", { context: 3 });
  return full.slice(full.indexOf("@@"));
}

function newFindings(before: string, after: string): { head: ScanResult; added: Finding[] } {
  const head = scan(after);
  return { head, added: diffFindings(scan(before).findings, head.findings).added };
}

describe("changed lines of a pull request file", () => {
  it("reads the head side of each hunk, and which lines were added", () => {
    const patch = "@@ -1,3 +1,4 @@ kind: Deployment\n a\n+b\n c\n-d\n+e\n@@ -20,2 +21,3 @@\n x\n+y\n z\n\\ No newline at end of file";
    const changed = changedLinesOf(patch);
    expect(changed.hunks).toEqual([
      { start: 1, end: 4 },
      { start: 21, end: 23 },
    ]);
    expect([...changed.added]).toEqual([2, 4, 22]);
    expect(hunkHolding(changed, 2, 4)).toEqual({ start: 1, end: 4 });
    expect(hunkHolding(changed, 4, 21)).toBeUndefined();
  });

  it("changes nothing for a file GitHub gives no patch for, or a patch it cannot read", () => {
    expect(changedLinesOf(undefined)).toEqual({ hunks: [], added: new Set() });
    expect(changedLinesOf("@@ -1,2 +1,9 @@\n+only one line")).toEqual({ hunks: [], added: new Set() });
  });
});

describe("a fix as lines of the head file", () => {
  const changeset = (before: string, after: string): Changeset => ({
    files: [{ path: PATH, before, after, fixes: ["f"] }],
    applied: [{ id: "f", rule: "r", file: PATH, finding: {} as Finding, explanation: "Does it.", risk: "", risky: false }],
    skipped: [],
  });

  it("anchors an insertion on the line before it, which the suggestion repeats", () => {
    expect(lineEditOf(changeset("a\nb\nc\n", "a\nb\nx\ny\nc\n"), PATH)).toMatchObject({ first: 2, last: 2, lines: ["b", "x", "y"] });
  });

  it("anchors an insertion at the top of the file on the first line", () => {
    expect(lineEditOf(changeset("a\nb\n", "x\na\nb\n"), PATH)).toMatchObject({ first: 1, last: 1, lines: ["x", "a"] });
  });

  it("replaces the changed lines, from the first change to the last, without their line endings", () => {
    expect(lineEditOf(changeset("a\r\nb\r\nc\r\nd\r\n", "a\r\nB\r\nc\r\nD\r\nE\r\n"), PATH)).toMatchObject({ first: 2, last: 4, lines: ["B", "c", "D", "E"] });
    expect(lineEditOf(changeset("a\nb", "a\nb\nc"), PATH)).toMatchObject({ first: 2, last: 2, lines: ["b", "c"] });
  });

  it("has none for a fix that edits another file, or nothing", () => {
    expect(lineEditOf(changeset("a\n", "b\n"), "other.yaml")).toBeUndefined();
    expect(lineEditOf({ files: [], applied: [], skipped: [] }, PATH)).toBeUndefined();
  });

  it("comments a multi-line replacement from its first line to its last, fenced longer than any backticks in it", () => {
    const edit = lineEditOf(changeset("a\nb\nc\n", "a\n```\nc2\n"), PATH);
    expect(suggestionComment(PATH, edit as NonNullable<typeof edit>)).toEqual({
      path: PATH,
      start_line: 2,
      start_side: "RIGHT",
      line: 3,
      side: "RIGHT",
      body: "Does it.\n\n````suggestion\n```\nc2\n````",
    });
  });
});

describe("suggestions on a pull request's changed lines", () => {
  it("suggests each verified fix where the pull request added the container, one comment per place, fixes at the same place together", () => {
    const { head, added } = newFindings(BASE, HEAD);
    const changed = new Map([[PATH, changedLinesOf(patchOf(BASE, HEAD))]]);

    const comments = suggestionComments({ workspace: head.workspace, findings: added, changed, fix: FIX });

    expect(added.map((finding) => `${finding.line} ${finding.rule}`)).toEqual([
      "41 capabilities-not-dropped",
      "41 liveness-probe-missing",
      "41 privilege-escalation-allowed",
      "41 read-only-root-filesystem-missing",
      "43 memory-limit-missing",
    ]);
    // No fix applies to read-only-root-filesystem-missing: it gets no comment.
    expect(comments).toEqual([
      {
        path: PATH,
        line: 46,
        side: "RIGHT",
        body: [
          'Sets resources.limits.memory to 128Mi (2× the memory request) on container "proxy".',
          "",
          "**Before merging:** Requests decide where the pod is scheduled, and a container that uses more memory than its limit is killed (OOMKilled). The values written are starting points from .shipshape.yml (fixes.resources), not measurements: compare them with the container's real usage before merging.",
          "",
          "```suggestion",
          "              memory: 64Mi",
          "            limits:",
          "              memory: 128Mi",
          "```",
        ].join("\n"),
      },
      {
        path: PATH,
        line: 53,
        side: "RIGHT",
        body: [
          'Sets securityContext.capabilities.drop to [ALL] on container "proxy". Adds a livenessProbe to container "proxy" that checks what its readinessProbe already checks. Sets securityContext.allowPrivilegeEscalation to false on container "proxy".',
          "",
          "**Before merging:** The container loses every Linux capability it does not add back. An application that binds a port below 1024 (NET_BIND_SERVICE), sends ping or raw packets (NET_RAW), changes file ownership (CHOWN) or switches users (SETUID, SETGID) will fail until that capability is listed under capabilities.add. Check what the container needs before merging.",
          "",
          "**Before merging:** Kubernetes restarts the container after three failed checks in a row. If the application needs more than about 30 seconds to start listening, add initialDelaySeconds or a startupProbe before merging.",
          "",
          "**Before merging:** Processes in the container can no longer gain privileges through setuid binaries or file capabilities (sudo, su). Applications rarely need that.",
          "",
          "```suggestion",
          "              port: admin",
          "          livenessProbe:",
          "            httpGet:",
          "              path: /ready",
          "              port: admin",
          "          securityContext:",
          "            allowPrivilegeEscalation: false",
          "            capabilities:",
          "              drop:",
          "                - ALL",
          "```",
        ].join("\n"),
      },
    ]);
  });

  it("leaves out a fix that would go outside the hunks GitHub shows", () => {
    const { head, added } = newFindings(BASE, HEAD);
    // Only the container's first lines changed: its fixes go further down, where no comment can be placed.
    const changed = new Map<string, ChangedLines>([[PATH, { hunks: [{ start: 38, end: 44 }], added: new Set([41, 42, 43]) }]]);
    expect(added.every((finding) => changed.get(PATH)?.added.has(finding.line))).toBe(true);
    expect(suggestionComments({ workspace: head.workspace, findings: added, changed, fix: FIX })).toEqual([]);
  });

  it("suggests nothing for findings on lines the pull request did not change, or in files it did not touch", () => {
    const { head, added } = newFindings(BASE, HEAD);
    const unchanged = new Map<string, ChangedLines>([[PATH, { hunks: [{ start: 1, end: HEAD.split("\n").length }], added: new Set([1, 2]) }]]);
    expect(suggestionComments({ workspace: head.workspace, findings: added, changed: unchanged, fix: FIX })).toEqual([]);
    expect(suggestionComments({ workspace: head.workspace, findings: added, changed: new Map(), fix: FIX })).toEqual([]);
  });

  it("suggests no image pin: it needs a digest from the registry, which the check does not ask", () => {
    const after = BASE.replace(/ghcr\.io\/acme\/web:1\.4\.2@sha256:[0-9a-f]+/, "ghcr.io/acme/web:1.5.0");
    const { head, added } = newFindings(BASE, after);
    expect(added.map((finding) => finding.rule)).toEqual(["image-digest-missing"]);
    const changed = new Map([[PATH, changedLinesOf(patchOf(BASE, after))]]);
    expect(suggestionComments({ workspace: head.workspace, findings: added, changed, fix: FIX })).toEqual([]);
  });
});
