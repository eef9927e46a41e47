import { describe, expect, it } from "vitest";
import { parseWwwAuthenticate } from "../../src/registry/www-authenticate.js";

describe("parseWwwAuthenticate", () => {
  it.each([
    [
      "Docker Hub's header",
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      [{ scheme: "bearer", params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:library/nginx:pull" } }],
    ],
    [
      "unquoted values, spaces and a lower-case scheme",
      "bearer  realm = https://auth.example.com/token ,  service=registry.example.com",
      [{ scheme: "bearer", params: { realm: "https://auth.example.com/token", service: "registry.example.com" } }],
    ],
    [
      "an upper-case scheme and parameter names",
      'BEARER Realm="https://ghcr.io/token",SERVICE="ghcr.io"',
      [{ scheme: "bearer", params: { realm: "https://ghcr.io/token", service: "ghcr.io" } }],
    ],
    [
      "commas and escaped quotes inside quoted values",
      'Bearer realm="https://auth.example.com/token",scope="repository:a/b:pull,push",error="say \\"hi\\", then go"',
      [{ scheme: "bearer", params: { realm: "https://auth.example.com/token", scope: "repository:a/b:pull,push", error: 'say "hi", then go' } }],
    ],
    ["Basic with a realm", 'Basic realm="Registry Realm"', [{ scheme: "basic", params: { realm: "Registry Realm" } }]],
    ["a bare scheme", "Basic", [{ scheme: "basic", params: {} }]],
    [
      "two challenges in one header",
      'Basic realm="x", Bearer realm="https://auth.example.com/token", service="svc"',
      [
        { scheme: "basic", params: { realm: "x" } },
        { scheme: "bearer", params: { realm: "https://auth.example.com/token", service: "svc" } },
      ],
    ],
    ["an unterminated quoted value", 'Bearer realm="https://auth.example.com/tok', [{ scheme: "bearer", params: { realm: "https://auth.example.com/tok" } }]],
    ["nothing", "", []],
    ["only commas and spaces", " , ,", []],
    ["a parameter with no scheme before it", 'realm="x", Basic', [{ scheme: "basic", params: {} }]],
  ])("reads %s", (_case, header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });
});
