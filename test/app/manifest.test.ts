import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";

const manifest = load(readFileSync(join(import.meta.dirname, "..", "..", "app.yml"), "utf8")) as Record<string, unknown>;

describe("app.yml, the manifest Probot registers the app from", () => {
  it("subscribes to the events Shipshape handles or will", () => {
    expect(manifest.default_events).toEqual(["installation", "installation_repositories", "push", "pull_request", "issue_comment", "issues", "check_run"]);
  });

  it("asks for write access to contents, pull requests, issues and checks, and read access to metadata and packages, nothing more", () => {
    expect(manifest.default_permissions).toEqual({ contents: "write", pull_requests: "write", issues: "write", checks: "write", metadata: "read", packages: "read" });
  });

  it("leaves the webhook URL to Probot's setup flow", () => {
    expect(manifest).not.toHaveProperty("hook_attributes");
    expect(manifest.name).toBe("Shipshape");
  });
});
