import { parseDockerfile, tokens, type DockerfileInstruction } from "../images/dockerfile-instructions.js";
import { NO_PARAMS, type FileCheck } from "./types.js";

interface Stage {
  from: DockerfileInstruction;
  /** The image (or earlier stage) it starts from, as written. */
  image: string;
  /** Its `AS name`, lower-cased. */
  name: string | undefined;
  /** The last USER instruction of the stage, if any. */
  user: DockerfileInstruction | undefined;
}

/**
 * Dockerfiles whose final stage runs as root: its last USER is `root` or `0` (whatever the group), or it sets
 * no USER at all, in which case the base image decides, and most run as root; `FROM scratch` has no user
 * at all and runs as UID 0. A final stage that starts from an earlier stage inherits that stage's USER.
 * Earlier stages that only build are not judged. Base images whose tag says `nonroot` (distroless) set a
 * non-root USER themselves and are not reported.
 */
export const containerRunsAsRoot: FileCheck = {
  name: "container-runs-as-root",
  scope: "file",
  paramsSchema: NO_PARAMS,
  run(file) {
    if (file.role !== "dockerfile") return [];
    const stages: Stage[] = [];
    for (const instruction of parseDockerfile(file.text).instructions) {
      if (instruction.keyword === "FROM") {
        const words = tokens(instruction).map((token) => token.text).filter((word) => !word.startsWith("--"));
        const image = words[0] ?? "";
        const name = words[1]?.toLowerCase() === "as" ? words[2]?.toLowerCase() : undefined;
        stages.push({ from: instruction, image, name, user: undefined });
      } else if (instruction.keyword === "USER") {
        const stage = stages[stages.length - 1];
        if (stage) stage.user = instruction;
      }
    }
    const final = stages[stages.length - 1];
    if (!final) return [];
    // The USER in effect: the final stage's own, or the one of the earlier stage it starts from.
    let stage: Stage | undefined = final;
    let user: DockerfileInstruction | undefined;
    const seen = new Set<Stage>();
    while (stage && !seen.has(stage)) {
      seen.add(stage);
      if (stage.user) {
        user = stage.user;
        break;
      }
      const image = stage.image.toLowerCase();
      stage = stages.slice(0, stages.indexOf(stage)).reverse().find((earlier) => earlier.name === image);
    }
    if (user) {
      const value = user.args.trim().replace(/^["']|["']$/g, "");
      const name = value.split(":")[0]?.trim() ?? "";
      if (name !== "root" && name !== "0") return [];
      return [{ offset: user.offset, message: `The final stage runs as root: USER ${value}; use a non-root user (a numeric UID such as 65532)`, detail: "USER root" }];
    }
    const base = (seen.size > 1 ? [...seen][seen.size - 1] : final) as Stage;
    if (/nonroot/i.test(base.image.slice(base.image.lastIndexOf("/") + 1))) return [];
    const message =
      base.image.toLowerCase() === "scratch"
        ? "The final stage (FROM scratch) sets no USER: a scratch image has no user of its own, so it runs as root (UID 0)"
        : `The final stage (FROM ${final.image}) sets no USER: it runs as the base image's user, which is root unless the image sets another`;
    return [{ offset: final.from.offset, message, detail: "no USER" }];
  },
};
