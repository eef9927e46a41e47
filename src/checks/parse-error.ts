import { NO_PARAMS, type FileCheck } from "./types.js";

/** Files that could not be read or parsed: reported where it went wrong, never fatal to the scan. */
export const parseError: FileCheck = {
  name: "parse-error",
  scope: "file",
  paramsSchema: NO_PARAMS,
  run(file) {
    return file.problems.map((problem) => ({ offset: problem.offset, message: problem.message, detail: problem.message }));
  },
};
