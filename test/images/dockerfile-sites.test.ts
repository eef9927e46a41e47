import { describe, expect, it } from "vitest";
import { parseDockerfile, tokens } from "../../src/images/dockerfile-instructions.js";
import { dockerfileImageSites } from "../../src/images/dockerfile-sites.js";
import { fixtureText, located } from "./helpers.js";

function sitesOf(text: string) {
  return dockerfileImageSites("Dockerfile", text);
}

function lines(...content: string[]): string {
  return `${content.join("\n")}\n`;
}

describe("dockerfile-from and dockerfile-copy-from sites", () => {
  const text = fixtureText("docker/Dockerfile");
  const sites = sitesOf(text);

  it("reports pulled images only: ARG defaults substituted, stages, scratch and heredoc bodies left out", () => {
    expect(located(sites, text)).toEqual([
      { kind: "dockerfile-from", image: "node:20.11-alpine", line: 3, column: 11, at: "node:${NODE_VERSION}-alpine" },
      { kind: "dockerfile-from", image: "gcr.io/distroless/nodejs20-debian12", line: 4, column: 16, at: "gcr.io/distroless/nodejs20-debian12" },
      { kind: "dockerfile-from", image: "golang:1.22", line: 13, column: 6, at: "golang:1.22" },
      { kind: "dockerfile-from", image: "node:20.11", line: 21, column: 6, at: "node:${NODE_VERSION}" },
      { kind: "dockerfile-copy-from", image: "nginx:1.25", line: 24, column: 13, at: "nginx:1.25" },
      { kind: "dockerfile-from", image: "$UNSET", line: 28, column: 6, at: "$UNSET" },
    ]);
  });

  it("says which ARG a site is, the FROM line that uses it, the stage, its index and platform", () => {
    expect(sites.map((site) => site.details)).toEqual([
      { argument: "BASE", fromLine: "7", platform: "$BUILDPLATFORM", stage: "deps", stageIndex: "0", substituted: "NODE_VERSION" },
      { argument: "DISTROLESS", fromLine: "31", stageIndex: "6" },
      { stage: "Build", stageIndex: "1" },
      { stage: "assets", stageIndex: "3", substituted: "NODE_VERSION" },
      { stage: "assets", stageIndex: "3" },
      { stage: "custom", stageIndex: "5", substituted: "UNSET", templated: "true" },
    ]);
    expect(sites.every((site) => site.path === undefined && site.document === undefined)).toBe(true);
    expect(sites[2]?.reference).toEqual({ registry: "docker.io", repository: "library/golang", tag: "1.22", digest: undefined });
  });

  it("reads a CRLF Dockerfile at the same lines and columns as its LF twin", () => {
    const crlf = fixtureText("docker/Dockerfile.crlf");
    expect(crlf).toContain("\r\n");
    const expected = [
      { kind: "dockerfile-from", image: "python:3.12-slim", line: 1, column: 10, at: "python:3.12-slim" },
      { kind: "dockerfile-from", image: "debian:bookworm", line: 6, column: 29, at: "debian:bookworm" },
    ];
    expect(located(sitesOf(crlf), crlf)).toEqual(expected);
    const lf = crlf.replaceAll("\r\n", "\n");
    expect(located(sitesOf(lf), lf)).toEqual(expected);
  });

  it("expands ${NAME:-default} and ${NAME:+alt}, and ARGs that use earlier ARGs", () => {
    const text = lines("ARG REGISTRY=ghcr.io", "ARG IMAGE=${REGISTRY}/acme/base:1", "ARG EMPTY", "FROM ${EMPTY:-alpine}:3.19", "FROM ${IMAGE}", "FROM busybox${REGISTRY:+:1.36}");
    expect(located(sitesOf(text), text)).toEqual([
      { kind: "dockerfile-from", image: "ghcr.io/acme/base:1", line: 2, column: 11, at: "${REGISTRY}/acme/base:1" },
      { kind: "dockerfile-from", image: "alpine:3.19", line: 4, column: 6, at: "${EMPTY:-alpine}:3.19" },
      { kind: "dockerfile-from", image: "busybox:1.36", line: 6, column: 6, at: "busybox${REGISTRY:+:1.36}" },
    ]);
    expect(sitesOf(text).map((site) => site.details.substituted)).toEqual(["REGISTRY", "EMPTY", "REGISTRY"]);
  });

  it("does not let an ARG declared inside a stage reach a later FROM", () => {
    const text = lines("FROM alpine:3.19", "ARG LATER=debian:12", "FROM ${LATER}");
    expect(sitesOf(text).map((site) => [site.image, site.details.templated, site.line])).toEqual([
      ["alpine:3.19", undefined, 1],
      ["${LATER}", "true", 3],
    ]);
  });

  it("reads several ARGs on one line, quoted and not", () => {
    const text = lines("ARG A='alpine:3.19' B=debian:12", "FROM $A", "FROM ${B}");
    expect(located(sitesOf(text), text)).toEqual([
      { kind: "dockerfile-from", image: "alpine:3.19", line: 1, column: 8, at: "alpine:3.19" },
      { kind: "dockerfile-from", image: "debian:12", line: 1, column: 23, at: "debian:12" },
    ]);
  });

  it("knows stage names case-insensitively, even through an ARG, and scratch in any case", () => {
    const text = lines("ARG STAGE=Base", "FROM golang:1.22 AS base", "FROM ${STAGE}", "FROM BASE", "FROM Scratch", "COPY --from=BASE /a /a");
    expect(sitesOf(text).map((site) => site.image)).toEqual(["golang:1.22"]);
  });

  it("reports a FROM naming a stage only declared later as an image", () => {
    const text = lines("FROM later AS first", "FROM alpine AS later");
    expect(sitesOf(text).map((site) => site.image)).toEqual(["later", "alpine"]);
  });

  it("honours the escape directive, comments inside continuations and <<- heredocs", () => {
    const text = lines("# escape=`", "FROM `", "# a comment inside", "", "  alpine:3.19 AS a", "RUN <<-SCRIPT", "\tFROM not:an-image", "\tSCRIPT", "FROM debian:12");
    expect(located(sitesOf(text), text)).toEqual([
      { kind: "dockerfile-from", image: "alpine:3.19", line: 5, column: 3, at: "alpine:3.19" },
      { kind: "dockerfile-from", image: "debian:12", line: 9, column: 6, at: "debian:12" },
    ]);
  });

  it("marks malformed and templated images, and templated COPY --from", () => {
    const text = lines("FROM Node:20", "FROM {{ .Base }}", "COPY --chown=1 --from=$IMG /a /a", "COPY --from= /a /a");
    expect(sitesOf(text).map((site) => [site.kind, site.image, site.details.malformed, site.details.templated])).toEqual([
      ["dockerfile-from", "Node:20", '"Node" is not a valid repository name (lowercase letters, digits and separators)', undefined],
      ["dockerfile-from", "{{", undefined, "true"],
      ["dockerfile-copy-from", "$IMG", undefined, "true"],
    ]);
  });

  it("gives no site for a Dockerfile without FROM, or an empty one", () => {
    expect(sitesOf("")).toEqual([]);
    expect(sitesOf("# just a comment\nRUN echo\n")).toEqual([]);
  });
});

describe("parseDockerfile", () => {
  it("maps every character of joined continuation lines back to the file", () => {
    const text = "RUN a \\\r\n  # skipped\r\n  b\r\nFROM x";
    const { instructions } = parseDockerfile(text);
    expect(instructions.map((instruction) => [instruction.keyword, instruction.args])).toEqual([
      ["RUN", "a   b"],
      ["FROM", "x"],
    ]);
    const [run] = instructions;
    expect(run!.offsets.map((offset) => text[offset]).join("")).toBe(run!.args);
    expect(tokens(run!).map((token) => [token.text, text.slice(token.offset, token.end)])).toEqual([
      ["a", "a"],
      ["b", "b"],
    ]);
  });

  it("does not continue a line that ends with an escaped escape character", () => {
    expect(parseDockerfile("RUN echo \\\\\nFROM x\n").instructions.map((instruction) => instruction.keyword)).toEqual(["RUN", "FROM"]);
  });

  it("keeps quoted blanks inside one token", () => {
    const [arg] = parseDockerfile('ARG A="x y" B=z').instructions;
    expect(tokens(arg!).map((token) => token.text)).toEqual(['A="x y"', "B=z"]);
  });
});
