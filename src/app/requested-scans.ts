/** What people asked a scan to do beyond the usual (`/shipshape fix`, `/shipshape rebase`). */
export interface ScanRequest {
  forceRules?: readonly string[];
  rebuild?: string;
}

/** One scan's options: force these rules, rebuild at most one branch. */
export interface RequestedScan {
  forceRules?: string[];
  rebuild?: string;
}

interface Pending {
  forceRules: Set<string>;
  rebuild: Set<string>;
}

/**
 * Requests waiting for a repository's next requested scan. The scan queue
 * runs a repository's job once however often it is asked while the job
 * waits (and once more if asked while it runs), so requests are merged here
 * and the job takes them all when it starts: none is lost, none runs twice.
 */
export class RequestedScans {
  private readonly pending = new Map<string, Pending>();

  add(repository: string, request: ScanRequest): void {
    const pending = this.pending.get(repository) ?? { forceRules: new Set<string>(), rebuild: new Set<string>() };
    for (const rule of request.forceRules ?? []) pending.forceRules.add(rule);
    if (request.rebuild !== undefined) pending.rebuild.add(request.rebuild);
    this.pending.set(repository, pending);
  }

  /**
   * The scans to run for what was asked so far, which is then forgotten:
   * one per branch to rebuild (a scan rebuilds one), each forcing every rule
   * asked for; one scan when no branch is to be rebuilt; none when nothing was asked.
   */
  take(repository: string): RequestedScan[] {
    const pending = this.pending.get(repository);
    this.pending.delete(repository);
    if (!pending) return [];
    const forceRules = [...pending.forceRules].sort();
    const force = forceRules.length > 0 ? { forceRules } : {};
    const branches = [...pending.rebuild].sort();
    return branches.length === 0 ? [force] : branches.map((rebuild) => ({ ...force, rebuild }));
  }
}
