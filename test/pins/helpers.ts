import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { createRegistryClient, type RegistryClient, type RegistryClientOptions } from "../../src/registry/client.js";

export const PINS_FIXTURES = join(import.meta.dirname, "..", "fixtures", "pins");

/** Where fixtures write the registry: test files hold `registry.test`, replaced by the real registry's `127.0.0.1:PORT`. */
export const REGISTRY_PLACEHOLDER = "registry.test";

/** Every file under `dir`, by `/`-separated relative path. */
export function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path).split("\\").join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}

/** `text` with each placeholder replaced by its value (longest first, so one placeholder never eats another). */
export function fill(text: string, values: Record<string, string>): string {
  return Object.keys(values)
    .sort((a, b) => b.length - a.length)
    .reduce((result, placeholder) => result.split(placeholder).join(values[placeholder] as string), text);
}

/** A fixture folder copied to a temporary one with its placeholders filled. */
export function copyFilled(fixture: string, values: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-pins-"));
  cpSync(fixture, dir, { recursive: true });
  for (const [path, text] of Object.entries(readTree(dir))) writeFileSync(join(dir, path), fill(text, values));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A client factory that reads no real credentials and records each request ("HEAD /v2/acme/web/manifests/1.4"). */
export function recordingRegistry(options: RegistryClientOptions = {}): { make: () => RegistryClient; requests: string[] } {
  const requests: string[] = [];
  const make = () =>
    createRegistryClient({
      env: {},
      dockerConfigPath: "/nonexistent/shipshape-pin-tests/config.json",
      retries: 0,
      fetch: (url, init) => {
        requests.push(`${init.method ?? "GET"} ${new URL(url).pathname}`);
        return fetch(url, init);
      },
      ...options,
    });
  return { make, requests };
}
