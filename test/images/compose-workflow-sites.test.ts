import { describe, expect, it } from "vitest";
import { composeImageSites, isComposeFile, isTemplatedComposeImage } from "../../src/images/compose-sites.js";
import { workflowImageSites } from "../../src/images/workflow-sites.js";
import { documentsOf, fixtureText, located, sha } from "./helpers.js";

const DIGEST = sha("0123456789abcdef");

describe("compose sites", () => {
  const text = fixtureText("compose/docker-compose.yml");
  const sites = composeImageSites("compose/docker-compose.yml", text, documentsOf(text));

  it("finds services.*.image, block and flow", () => {
    expect(located(sites, text)).toEqual([
      { kind: "compose", image: "nginx:1.25", line: 3, column: 12, at: "nginx:1.25" },
      { kind: "compose", image: "acme/app:dev", line: 7, column: 12, at: "acme/app:dev" },
      { kind: "compose", image: `postgres:16@${DIGEST}`, line: 8, column: 16, at: `postgres:16@${DIGEST}` },
      { kind: "compose", image: "${CACHE_IMAGE:-redis:7}", line: 10, column: 12, at: "${CACHE_IMAGE:-redis:7}" },
      { kind: "compose", image: "$QUEUE_IMAGE", line: 12, column: 12, at: "$QUEUE_IMAGE" },
      { kind: "compose", image: "acme/price:1$$", line: 14, column: 12, at: "acme/price:1$$" },
    ]);
  });

  it("names the service, marks built images, Compose interpolation and malformed images", () => {
    expect(sites.map((site) => [site.details.service, site.details.build, site.details.templated, site.details.malformed === undefined ? undefined : "malformed", site.path])).toEqual([
      ["web", undefined, undefined, undefined, ["services", "web", "image"]],
      ["app", "true", undefined, undefined, ["services", "app", "image"]],
      ["db", undefined, undefined, undefined, ["services", "db", "image"]],
      ["cache", undefined, "true", undefined, ["services", "cache", "image"]],
      ["queue", undefined, "true", undefined, ["services", "queue", "image"]],
      ["price", undefined, undefined, "malformed", ["services", "price", "image"]],
    ]);
  });

  it("reads a flow-style compose.yaml", () => {
    const flow = fixtureText("compose/compose.yaml");
    expect(located(composeImageSites("compose/compose.yaml", flow, documentsOf(flow)), flow)).toEqual([
      { kind: "compose", image: "traefik:v3.0", line: 1, column: 29, at: "traefik:v3.0" },
    ]);
  });

  it.each([
    ["docker-compose.yml", true],
    ["deploy/compose.yaml", true],
    ["docker-compose.override.yml", true],
    ["compose.prod.yaml", true],
    ["docker-compose-dev.yaml", true],
    ["composer.yaml", false],
    ["my-compose.yml", false],
    ["docker-compose.json", false],
  ])("%s is a compose file: %s", (path, expected) => {
    expect(isComposeFile(path)).toBe(expected);
  });

  it.each([
    ["${IMAGE}", true],
    ["$IMAGE", true],
    ["nginx:$TAG", true],
    ["nginx:1$$", false],
    ["nginx:1.25", false],
  ])("%s is templated in Compose: %s", (image, expected) => {
    expect(isTemplatedComposeImage(image)).toBe(expected);
  });
});

describe("workflow sites", () => {
  const text = fixtureText(".github/workflows/ci.yml");
  const sites = workflowImageSites(".github/workflows/ci.yml", text, documentsOf(text));

  it("finds job containers (string and mapping), service containers and docker:// steps", () => {
    expect(located(sites, text)).toEqual([
      { kind: "workflow-container", image: "node:20-bookworm", line: 6, column: 16, at: "node:20-bookworm" },
      { kind: "workflow-service", image: "postgres:16", line: 9, column: 16, at: "postgres:16" },
      { kind: "workflow-service", image: "redis:7.2", line: 11, column: 23, at: "redis:7.2" },
      { kind: "workflow-step", image: "hadolint/hadolint:v2.12.0", line: 15, column: 24, at: "hadolint/hadolint:v2.12.0" },
      { kind: "workflow-step", image: "alpine:3.19", line: 16, column: 25, at: "alpine:3.19" },
      { kind: "workflow-container", image: `ghcr.io/acme/builder@${DIGEST}`, line: 21, column: 14, at: `ghcr.io/acme/builder@${DIGEST}` },
      { kind: "workflow-container", image: "${{ matrix.image }}", line: 28, column: 16, at: "${{ matrix.image }}" },
    ]);
  });

  it("names the job, service and step, keeps the docker:// prefix and the path of the scalar", () => {
    expect(sites.map((site) => [site.details.job, site.details.service, site.details.step, site.details.stepName, site.details.prefix, site.path])).toEqual([
      ["test", undefined, undefined, undefined, undefined, ["jobs", "test", "container"]],
      ["test", "postgres", undefined, undefined, undefined, ["jobs", "test", "services", "postgres", "image"]],
      ["test", "redis", undefined, undefined, undefined, ["jobs", "test", "services", "redis", "image"]],
      ["test", undefined, "1", "lint dockerfiles", "docker://", ["jobs", "test", "steps", 1, "uses"]],
      ["test", undefined, "2", undefined, "docker://", ["jobs", "test", "steps", 2, "uses"]],
      ["build", undefined, undefined, undefined, undefined, ["jobs", "build", "container", "image"]],
      ["matrix", undefined, undefined, undefined, undefined, ["jobs", "matrix", "container"]],
    ]);
    expect(sites[6]?.details.templated).toBe("true");
  });

  it("falls back to the scalar's start, marked approximate, when a docker:// step is written with escapes", () => {
    const workflow = 'jobs:\n  a:\n    steps:\n      - uses: "docker://alpine\\x3A3.19"\n';
    expect(workflowImageSites("w.yml", workflow, documentsOf(workflow)).map((site) => [site.image, site.details.approximate, site.line, site.column])).toEqual([["alpine:3.19", "true", 4, 16]]);
  });
});
