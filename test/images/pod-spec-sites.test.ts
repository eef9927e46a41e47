import { describe, expect, it } from "vitest";
import { podSpecImageSites } from "../../src/images/pod-spec-sites.js";
import { documentsOf, fixtureText, located, sha } from "./helpers.js";

const ENVOY_DIGEST = sha("0123456789abcdef");

function sitesOf(text: string, file = "manifest.yaml") {
  return podSpecImageSites(file, text, documentsOf(text));
}

describe("pod-spec image sites", () => {
  const text = fixtureText("manifests/workloads.yaml");
  const sites = sitesOf(text, "manifests/workloads.yaml");

  it("finds every container list of every workload kind, block and flow, across documents and List items", () => {
    expect(located(sites, text)).toEqual([
      { kind: "pod-spec", image: "ghcr.io/acme/migrate:2.1.0", line: 11, column: 18, at: "ghcr.io/acme/migrate:2.1.0" },
      { kind: "pod-spec", image: "nginx:1.25", line: 14, column: 19, at: "nginx:1.25" },
      { kind: "pod-spec", image: `docker.io/envoyproxy/envoy@${ENVOY_DIGEST}`, line: 16, column: 19, at: `docker.io/envoyproxy/envoy@${ENVOY_DIGEST}` },
      { kind: "pod-spec", image: "busybox:1.36", line: 30, column: 102, at: "busybox:1.36" },
      { kind: "pod-spec", image: "${REGISTRY}/tool:${TAG}", line: 30, column: 137, at: "${REGISTRY}/tool:${TAG}" },
      { kind: "pod-spec", image: "Bad_Image:latest", line: 39, column: 14, at: "Bad_Image:latest" },
      { kind: "pod-spec", image: "alpine", line: 42, column: 14, at: "alpine" },
      { kind: "pod-spec", image: "postgres:16.2", line: 56, column: 22, at: "postgres:16.2" },
    ]);
  });

  it("gives each site its document, the path of the image scalar, and the container it belongs to", () => {
    expect(sites.map((site) => [site.document, site.path, site.details.workload, site.details.containerList, site.details.container])).toEqual([
      [0, ["spec", "template", "spec", "initContainers", 0, "image"], "Deployment/web", "initContainers", "migrate"],
      [0, ["spec", "template", "spec", "containers", 0, "image"], "Deployment/web", "containers", "web"],
      [0, ["spec", "template", "spec", "containers", 1, "image"], "Deployment/web", "containers", "sidecar"],
      [2, ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "image"], "CronJob/nightly", "containers", "run"],
      [2, ["spec", "jobTemplate", "spec", "template", "spec", "containers", 1, "image"], "CronJob/nightly", "containers", "tpl"],
      [3, ["spec", "containers", 0, "image"], "Pod/debug", "containers", "main"],
      [3, ["spec", "ephemeralContainers", 0, "image"], "Pod/debug", "ephemeralContainers", "shell"],
      [4, ["items", 0, "spec", "template", "spec", "containers", 0, "image"], "StatefulSet/db", "containers", "postgres"],
    ]);
  });

  it("parses literal references, marks templated ones and says why malformed ones are rejected", () => {
    expect(sites[1]?.reference).toEqual({ registry: "docker.io", repository: "library/nginx", tag: "1.25", digest: undefined });
    expect(sites[4]?.details.templated).toBe("true");
    expect(sites[4]?.reference).toBeUndefined();
    expect(sites[4]?.details.malformed).toBeUndefined();
    expect(sites[5]?.details.malformed).toBe('"Bad_Image" is not a valid repository name (lowercase letters, digits and separators)');
    expect(sites[5]?.reference).toBeUndefined();
    expect(sites.filter((site) => site.details.templated === undefined && site.details.malformed === undefined)).toHaveLength(6);
  });

  it("reports an empty image as malformed and a missing or null one not at all", () => {
    const manifest = [
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: p}",
      "spec:",
      "  containers:",
      '    - {name: empty, image: ""}',
      "    - {name: nothing, image: }",
      "    - {name: absent}",
      "",
    ].join("\n");
    const found = sitesOf(manifest);
    expect(found.map((site) => [site.details.container, site.image, site.details.malformed, site.line, site.column])).toEqual([["empty", "", "image is empty", 6, 29]]);
  });

  it("names the anchor of an image that aliases reuse", () => {
    const manifest = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: {name: d}",
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: a",
      "          image: &img nginx:1.25",
      "        - name: b",
      "          image: *img",
      "",
    ].join("\n");
    expect(sitesOf(manifest).map((site) => [site.details.container, site.details.sharedAnchor, site.line, site.column])).toEqual([
      ["a", "img", 9, 23],
      ["b", "img", 9, 23],
    ]);
  });

  it("reads a CRLF file at the same lines and columns as its LF twin", () => {
    const crlf = fixtureText("manifests/crlf.yaml");
    expect(crlf).toContain("\r\n");
    const lf = crlf.replaceAll("\r\n", "\n");
    const expected = [
      { kind: "pod-spec", image: "ghcr.io/acme/app:1.0.0", line: 10, column: 19, at: "ghcr.io/acme/app:1.0.0" },
      { kind: "pod-spec", image: "busybox:1.36", line: 19, column: 44, at: "busybox:1.36" },
      { kind: "pod-spec", image: "datadog/agent:7", line: 22, column: 18, at: "datadog/agent:7" },
    ];
    const crlfSites = sitesOf(crlf);
    expect(located(crlfSites, crlf)).toEqual(expected);
    expect(located(sitesOf(lf), lf)).toEqual(expected);
    expect(crlfSites.map((site) => site.document)).toEqual([0, 1, 1]);
  });
});
