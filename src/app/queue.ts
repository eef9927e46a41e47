import type { Logger } from "pino";

interface RepositoryState {
  running: boolean;
  rerun: boolean;
}

/**
 * Runs scans one at a time per installation (so its writes go in series) and
 * never twice at once for a repository: an event that arrives while its
 * repository is being scanned becomes a single rerun afterwards, and one
 * that arrives while a scan is still waiting adds nothing.
 */
export class ScanQueue {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly repositories = new Map<string, RepositoryState>();

  constructor(private readonly log: Pick<Logger, "error">) {}

  /** True when `job` was queued; false when the repository's scan that is queued or running covers it (and `job` never runs). */
  enqueue(installation: string, repository: string, job: () => Promise<void>): boolean {
    const state = this.repositories.get(repository);
    if (state) {
      if (state.running) state.rerun = true;
      return false;
    }
    this.repositories.set(repository, { running: false, rerun: false });
    this.chain(installation, repository, job);
    return true;
  }

  /** Resolves once every queued scan, reruns included, has finished. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  private chain(installation: string, repository: string, job: () => Promise<void>): void {
    const previous = this.chains.get(installation) ?? Promise.resolve();
    const next = previous.then(() => this.run(installation, repository, job));
    this.chains.set(installation, next);
    void next.finally(() => {
      if (this.chains.get(installation) === next) this.chains.delete(installation);
    });
  }

  private async run(installation: string, repository: string, job: () => Promise<void>): Promise<void> {
    const state = this.repositories.get(repository) ?? { running: false, rerun: false };
    state.running = true;
    try {
      await job();
    } catch (error) {
      this.log.error({ err: error, repository }, "scan failed");
    }
    state.running = false;
    if (state.rerun) {
      state.rerun = false;
      this.chain(installation, repository, job);
    } else {
      this.repositories.delete(repository);
    }
  }
}
