import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { healthHandler } from "../../src/app/health.js";

// There is no Docker engine here, so the image cannot be built in tests: these
// tests read the Dockerfile and hold it to what the image must be.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DOCKERFILE = readFileSync(join(ROOT, "Dockerfile"), "utf8");

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions with line continuations joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const logical: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    if (/^\s*#/.test(line)) continue;
    if (line.endsWith("\\")) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim() !== "") logical.push(current.trim());
    current = "";
  }
  return logical.map((line) => {
    const match = /^(\S+)\s*(.*)$/.exec(line)!;
    return { keyword: match[1]!.toUpperCase(), args: match[2]!.replace(/\s+/g, " ") };
  });
}

const INSTRUCTIONS = parseDockerfile(DOCKERFILE);

/** Stages, each starting at its FROM. */
function stages(instructions: Instruction[]): Instruction[][] {
  const result: Instruction[][] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") result.push([]);
    result.at(-1)?.push(instruction);
  }
  return result;
}

const STAGES = stages(INSTRUCTIONS);
const BUILD = STAGES[0]!;
const RUNTIME = STAGES.at(-1)!;
const args = (stage: Instruction[], keyword: string): string[] => stage.filter((i) => i.keyword === keyword).map((i) => i.args);

/** KEY=value pairs of every ENV line in a stage. */
function envOf(stage: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of args(stage, "ENV")) {
    for (const pair of line.split(" ")) {
      const [key, ...value] = pair.split("=");
      env[key!] = value.join("=");
    }
  }
  return env;
}

describe("Dockerfile stages", () => {
  it("has two stages, both from the pinned Node 20 slim image, the first named build", () => {
    expect(args(INSTRUCTIONS, "FROM")).toEqual(["node:20-bookworm-slim AS build", "node:20-bookworm-slim AS runtime"]);
  });

  it("installs everything and builds in the build stage", () => {
    expect(args(BUILD, "RUN")).toEqual(["npm ci --ignore-scripts", "npm run build"]);
    expect(args(BUILD, "COPY")).toEqual(["package.json package-lock.json ./", "tsconfig.json ./", "src ./src"]);
  });

  it("says that the tag-only base image is flagged by image-digest-missing, and how to pin it", () => {
    expect(DOCKERFILE).toContain("Shipshape's own image-digest-missing rule");
    expect(DOCKERFILE).toContain("FROM node:20-bookworm-slim@sha256:<digest>");
  });
});

describe("runtime stage", () => {
  it("installs only production dependencies, without running the package's tsc prepare script", () => {
    const runs = args(RUNTIME, "RUN");
    expect(runs).toEqual(["npm ci --omit=dev --ignore-scripts && npm cache clean --force && rm -rf /tmp/.npm"]);
    expect(runs.join(" ")).not.toMatch(/npm (install|i|add)\b/);
  });

  it("copies the compiled code from the build stage and the data files the code reads", () => {
    expect(args(RUNTIME, "COPY")).toEqual([
      "package.json package-lock.json ./",
      "--from=build /app/dist/src ./dist/src",
      "rules ./rules",
      "templates ./templates",
      "schemas ./schemas",
      "app.yml ./",
    ]);
  });

  it("copies only paths that exist and that .dockerignore lets through", () => {
    const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    const sources = INSTRUCTIONS.filter((i) => i.keyword === "COPY" && !i.args.startsWith("--from")).flatMap((i) => i.args.split(" ").slice(0, -1));
    expect(sources).toEqual(["package.json", "package-lock.json", "tsconfig.json", "src", "package.json", "package-lock.json", "rules", "templates", "schemas", "app.yml"]);
    for (const source of sources) {
      expect(existsSync(join(ROOT, source)), source).toBe(true);
      expect(ignored, source).not.toContain(source);
    }
  });

  it("sets production, listening, JSON-logging and read-only-filesystem environment", () => {
    expect(envOf(RUNTIME)).toEqual({
      NODE_ENV: "production",
      HOST: "0.0.0.0",
      PORT: "3000",
      LOG_FORMAT: "json",
      HOME: "/tmp",
      npm_config_cache: "/tmp/.npm",
    });
  });

  it("bakes no credentials into the image", () => {
    const declared = STAGES.flatMap((stage) => [...Object.keys(envOf(stage)), ...args(stage, "ARG").map((arg) => arg.split("=")[0]!)]);
    expect(declared.filter((name) => /APP_ID|PRIVATE_KEY|WEBHOOK_SECRET|TOKEN|SECRET/.test(name))).toEqual([]);
  });

  it("runs as the non-root node user, set after the last RUN and before CMD", () => {
    expect(args(RUNTIME, "USER")).toEqual(["node"]);
    const keywords = RUNTIME.map((i) => i.keyword);
    expect(keywords.indexOf("USER")).toBeGreaterThan(keywords.lastIndexOf("RUN"));
    expect(keywords.indexOf("USER")).toBeLessThan(keywords.indexOf("CMD"));
  });

  it("exposes port 3000", () => {
    expect(args(RUNTIME, "EXPOSE")).toEqual(["3000"]);
  });

  it("starts Probot's CLI on the compiled app, whose files exist", () => {
    const cmd = args(RUNTIME, "CMD");
    expect(cmd).toEqual(['["node", "node_modules/probot/bin/probot.js", "run", "./dist/src/app/index.js"]']);
    expect(existsSync(join(ROOT, "node_modules/probot/bin/probot.js"))).toBe(true);
    expect(existsSync(join(ROOT, "src/app/index.ts"))).toBe(true);
  });

  it("uses neither curl nor wget, which the slim image lacks", () => {
    expect(DOCKERFILE).not.toMatch(/\b(curl|wget)\b/);
  });
});

describe("HEALTHCHECK", () => {
  const healthchecks = args(RUNTIME, "HEALTHCHECK");
  const command = JSON.parse(healthchecks[0]!.replace(/^.*?CMD /, "")) as string[];

  it("is one exec-form check with timings", () => {
    expect(healthchecks).toHaveLength(1);
    expect(healthchecks[0]!.startsWith("--interval=30s --timeout=5s --start-period=20s --retries=3 CMD [")).toBe(true);
    expect(command.slice(0, 2)).toEqual(["node", "-e"]);
    expect(command).toHaveLength(3);
  });

  let server: Server | undefined;
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  /** Runs the check's own command line with PORT set, as Docker would inside the container. */
  function runCheck(port: number): Promise<{ code: number | null }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, command.slice(1), { env: { ...process.env, PORT: String(port) }, stdio: "ignore" });
      child.on("error", reject);
      child.on("exit", (code) => resolve({ code }));
    });
  }

  it("exits 0 when /healthz on $PORT answers 200", async () => {
    const paths: string[] = [];
    const handle = healthHandler({ appLoaded: () => false, hasPrivateKey: false, hasWebhookSecret: false });
    const port = await listen((req, res) => {
      paths.push(`${req.method} ${req.url}`);
      if (!handle(req, res)) res.writeHead(404).end();
    });
    expect((await runCheck(port)).code).toBe(0);
    expect(paths).toEqual(["GET /healthz"]);
  });

  it("exits 1 when /healthz answers an error status", async () => {
    const port = await listen((_req, res) => void res.writeHead(500).end());
    expect((await runCheck(port)).code).toBe(1);
  });

  it("exits 1 when nothing listens on $PORT", async () => {
    const port = await listen((_req, res) => void res.end());
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    expect((await runCheck(port)).code).toBe(1);
  });
});

describe(".dockerignore", () => {
  it("keeps dependencies, build output, history, tests, benchmarks, examples and local credentials out of the build context", () => {
    const entries = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    expect(entries).toEqual(["node_modules", "dist", ".git", "test", "coverage", "bench", ".bench", "examples", "*.log", ".env", ".env.*", "*.pem"]);
  });
});
