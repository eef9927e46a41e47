import { getPair, isMap, isScalar, seqItems, type YamlScalar } from "../yaml/nodes.js";
import { NO_PARAMS, type FileCheck, type Hit } from "./types.js";

const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * GitHub Actions workflows: every `uses:` of a step (`jobs.*.steps[*].uses`) and of a job that calls a
 * reusable workflow (`jobs.*.uses`) must name its ref by a full 40-hex commit SHA: a tag or branch can be
 * moved to other code. Local actions and workflows (`./…`) come with the commit; `docker://` images are
 * judged by the image rules.
 */
export const actionsNotPinned: FileCheck = {
  name: "actions-not-pinned",
  scope: "file",
  paramsSchema: NO_PARAMS,
  run(file) {
    if (file.role !== "workflow") return [];
    const hits: Hit[] = [];
    for (const document of file.documents) {
      const jobs = getPair(document.root, "jobs")?.value;
      if (!isMap(jobs)) continue;
      for (const [job, { value: body }] of jobs.pairs) {
        const called = getPair(body, "uses")?.value;
        if (isScalar(called)) judge(called, job, "Reusable workflow");
        for (const step of seqItems(getPair(body, "steps")?.value)) {
          const uses = getPair(step, "uses")?.value;
          if (isScalar(uses)) judge(uses, job, "Action");
        }
      }
    }
    return hits;

    function judge(node: YamlScalar, job: string, what: string): void {
      const uses = node.text.trim();
      if (uses === "" || uses.startsWith("./") || uses.startsWith("docker://")) return;
      const at = uses.lastIndexOf("@");
      const name = at === -1 ? uses : uses.slice(0, at);
      const ref = at === -1 ? "" : uses.slice(at + 1);
      if (FULL_SHA.test(ref)) return;
      const why = ref === "" ? "it names no ref" : /^[0-9a-f]{7,39}$/.test(ref) ? `"${ref}" is a short SHA` : `the ref "${ref}" can be moved`;
      hits.push({ offset: node.offset, message: `${what} ${uses} (job "${job}") is not pinned to a full commit SHA: ${why}`, detail: `${job} ${name}@${ref}` });
    }
  },
};
