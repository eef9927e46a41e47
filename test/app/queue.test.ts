import { describe, expect, it, vi } from "vitest";
import { ScanQueue } from "../../src/app/queue.js";

/** A job that waits until released, and records when it started and finished. */
function gatedJob(name: string, events: string[]) {
  let release!: () => void;
  let gate = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  let startedOnce = new Promise<void>((resolve) => (started = resolve));
  const job = vi.fn(async () => {
    events.push(`start ${name}`);
    started();
    await gate;
    events.push(`end ${name}`);
  });
  return {
    job,
    /** Resolves when the job (its next run) has started. */
    started: () => startedOnce,
    /** Lets the running job finish; its next run waits again. */
    release() {
      const current = release;
      gate = new Promise<void>((resolve) => (release = resolve));
      startedOnce = new Promise<void>((resolve) => (started = resolve));
      current();
    },
  };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const quietLog = () => ({ error: vi.fn() });

describe("ScanQueue", () => {
  it("runs a job and idle() resolves once it has finished", async () => {
    const events: string[] = [];
    const queue = new ScanQueue(quietLog());
    queue.enqueue("1", "acme/web", async () => void events.push("ran"));
    expect(events).toEqual([]);
    await queue.idle();
    expect(events).toEqual(["ran"]);
  });

  it("adds nothing for an event that arrives while the repository's scan is still waiting its turn", async () => {
    const events: string[] = [];
    const queue = new ScanQueue(quietLog());
    const first = gatedJob("a", events);
    const waiting = vi.fn(async () => void events.push("b"));
    const duplicate = vi.fn(async () => void events.push("b again"));
    queue.enqueue("1", "acme/a", first.job);
    await first.started();
    queue.enqueue("1", "acme/b", waiting);
    queue.enqueue("1", "acme/b", duplicate);
    queue.enqueue("1", "acme/b", duplicate);
    await settle();
    expect(waiting).not.toHaveBeenCalled();
    first.release();
    await queue.idle();
    expect(events).toEqual(["start a", "end a", "b"]);
    expect(waiting).toHaveBeenCalledTimes(1);
    expect(duplicate).not.toHaveBeenCalled();
  });

  it("turns any number of events that arrive while the repository is scanned into exactly one rerun, after the scan", async () => {
    const events: string[] = [];
    const queue = new ScanQueue(quietLog());
    const scan = gatedJob("scan", events);
    let running = 0;
    let mostAtOnce = 0;
    const job = async () => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        await scan.job();
      } finally {
        running -= 1;
      }
    };
    queue.enqueue("1", "acme/web", job);
    await scan.started();
    queue.enqueue("1", "acme/web", job);
    queue.enqueue("1", "acme/web", job);
    queue.enqueue("1", "acme/web", job);
    await settle();
    expect(scan.job).toHaveBeenCalledTimes(1);
    scan.release();
    await scan.started();
    expect(scan.job).toHaveBeenCalledTimes(2);
    scan.release();
    await queue.idle();
    expect(events).toEqual(["start scan", "end scan", "start scan", "end scan"]);
    expect(scan.job).toHaveBeenCalledTimes(2);
    expect(mostAtOnce).toBe(1);
  });

  it("reruns again for an event that arrives during the rerun, and forgets the repository once it is done", async () => {
    const events: string[] = [];
    const queue = new ScanQueue(quietLog());
    const scan = gatedJob("scan", events);
    queue.enqueue("1", "acme/web", scan.job);
    await scan.started();
    queue.enqueue("1", "acme/web", scan.job);
    scan.release();
    await scan.started();
    queue.enqueue("1", "acme/web", scan.job);
    scan.release();
    await scan.started();
    scan.release();
    await queue.idle();
    expect(scan.job).toHaveBeenCalledTimes(3);
    // Idle again: a new event is a new scan.
    queue.enqueue("1", "acme/web", scan.job);
    await scan.started();
    scan.release();
    await queue.idle();
    expect(scan.job).toHaveBeenCalledTimes(4);
  });

  it("puts the rerun behind the installation's other waiting scans", async () => {
    const events: string[] = [];
    const queue = new ScanQueue(quietLog());
    const web = gatedJob("web", events);
    queue.enqueue("1", "acme/web", web.job);
    await web.started();
    queue.enqueue("1", "acme/api", async () => void events.push("api"));
    queue.enqueue("1", "acme/web", web.job);
    web.release();
    await web.started();
    web.release();
    await queue.idle();
    expect(events).toEqual(["start web", "end web", "api", "start web", "end web"]);
  });

  it("runs one installation's scans one at a time, in order", async () => {
    const events: string[] = [];
    const queue = new ScanQueue(quietLog());
    const web = gatedJob("web", events);
    const api = gatedJob("api", events);
    queue.enqueue("1", "acme/web", web.job);
    queue.enqueue("1", "acme/api", api.job);
    await web.started();
    await settle();
    expect(api.job).not.toHaveBeenCalled();
    web.release();
    await api.started();
    api.release();
    await queue.idle();
    expect(events).toEqual(["start web", "end web", "start api", "end api"]);
  });

  it("runs different installations independently: one waiting scan does not hold up another installation's", async () => {
    const events: string[] = [];
    const queue = new ScanQueue(quietLog());
    const slow = gatedJob("slow", events);
    queue.enqueue("1", "acme/web", slow.job);
    await slow.started();
    queue.enqueue("2", "other/site", async () => void events.push("other"));
    await settle();
    expect(events).toEqual(["start slow", "other"]);
    let idle = false;
    const done = queue.idle().then(() => (idle = true));
    await settle();
    expect(idle).toBe(false);
    slow.release();
    await done;
    expect(events).toEqual(["start slow", "other", "end slow"]);
  });

  it("logs a failing job with its repository and runs the next one", async () => {
    const events: string[] = [];
    const log = quietLog();
    const queue = new ScanQueue(log);
    const failure = new Error("GitHub said no");
    queue.enqueue("1", "acme/web", async () => {
      events.push("web");
      throw failure;
    });
    queue.enqueue("1", "acme/api", async () => void events.push("api"));
    await queue.idle();
    expect(events).toEqual(["web", "api"]);
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.error).toHaveBeenCalledWith({ err: failure, repository: "acme/web" }, "scan failed");
  });

  it("still reruns after a failed scan when an event arrived during it, and takes new events for the repository afterwards", async () => {
    const log = quietLog();
    const queue = new ScanQueue(log);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const job = async () => {
      runs += 1;
      if (runs === 1) {
        started();
        await gate;
        throw new Error("tarball download failed");
      }
    };
    queue.enqueue("1", "acme/web", job);
    await firstStarted;
    queue.enqueue("1", "acme/web", job);
    release();
    await queue.idle();
    expect(runs).toBe(2);
    expect(log.error).toHaveBeenCalledTimes(1);
    queue.enqueue("1", "acme/web", job);
    await queue.idle();
    expect(runs).toBe(3);
  });

  it("a job that throws before its first await is logged like any other failure", async () => {
    const log = quietLog();
    const queue = new ScanQueue(log);
    const failure = new TypeError("cannot read properties of undefined");
    queue.enqueue("1", "acme/web", () => {
      throw failure;
    });
    let ran = false;
    queue.enqueue("1", "acme/api", async () => void (ran = true));
    await queue.idle();
    expect(ran).toBe(true);
    expect(log.error).toHaveBeenCalledWith({ err: failure, repository: "acme/web" }, "scan failed");
  });
});
