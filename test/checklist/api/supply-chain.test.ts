import { describe, expect, it } from "vitest";
import { fixture, rows, run } from "./helpers.js";

describe("actions-not-pinned", () => {
  const RULE = ["actions-not-pinned"];

  it("reports steps and reusable workflows not pinned to a full SHA, each saying why the CLI does not pin it; local and docker:// uses are left alone", () => {
    const { findings, changeset } = run({ ".github/workflows/ci.yml": fixture("workflows/ci.yml") }, RULE);
    const file = ".github/workflows/ci.yml";
    expect(rows(findings)).toEqual([
      [file, 7, "medium", 'Action actions/checkout@v4 (job "build") is not pinned to a full commit SHA: the ref "v4" can be moved', false, 'the CLI reports this; the GitHub App pins it to the commit "v4" of actions/checkout points at'],
      [file, 9, "medium", 'Action actions/setup-node@main (job "build") is not pinned to a full commit SHA: the ref "main" can be moved', false, 'the CLI reports this; the GitHub App pins it to the commit "main" of actions/setup-node points at'],
      [file, 13, "medium", 'Action github/codeql-action/init@8fcfedf (job "build") is not pinned to a full commit SHA: "8fcfedf" is a short SHA', false, '"8fcfedf" is a short SHA: write the full 40-character commit SHA it stands for'],
      [file, 14, "medium", 'Action octo/no-ref (job "build") is not pinned to a full commit SHA: it names no ref', false, 'octo/no-ref names no ref to pin: write the release you mean (@v1), which the GitHub App can then pin'],
      [file, 16, "medium", 'Reusable workflow octo/shared/.github/workflows/deploy.yml@v1.2.0 (job "call") is not pinned to a full commit SHA: the ref "v1.2.0" can be moved', false, 'the CLI reports this; the GitHub App pins it to the commit "v1.2.0" of octo/shared points at'],
    ]);
    expect(changeset.files).toEqual([]);
  });

  it("finds nothing in a pinned workflow, nor outside .github/workflows", () => {
    expect(run({ ".github/workflows/pinned.yml": fixture("workflows/pinned.yml"), "ci/ci.yml": fixture("workflows/ci.yml") }, RULE).findings).toEqual([]);
  });
});

describe("helm-values-schema-missing", () => {
  const RULE = ["helm-values-schema-missing"];
  const chart = (name: string, extra = "") => `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n${extra}`;

  it("reports a chart without values.schema.json at its name, but not vendored subcharts nor library charts", () => {
    const { findings } = run(
      {
        "charts/web/Chart.yaml": chart("web"),
        "charts/web/values.yaml": "replicaCount: 1\n",
        "charts/web/charts/redis/Chart.yaml": chart("redis"),
        "charts/common/Chart.yaml": chart("common", "type: library\n"),
      },
      RULE,
    );
    expect(rows(findings)).toEqual([
      [
        "charts/web/Chart.yaml",
        2,
        "low",
        'Helm chart "web" has no values.schema.json: Helm does not validate its values, so a typo or a wrong type reaches the templates unnoticed',
        true,
        undefined,
      ],
    ]);
  });

  it("finds nothing when the chart has a schema, also for a chart at the root", () => {
    expect(run({ "Chart.yaml": chart("root"), "values.schema.json": "{}\n", "charts/api/Chart.yaml": chart("api"), "charts/api/values.schema.json": "{}\n" }, RULE).findings).toEqual([]);
  });
});

describe("container-runs-as-root", () => {
  const RULE = ["container-runs-as-root"];
  const scan = (name: string) => run({ [`app/${name}`]: fixture(`docker/${name}`) }, RULE).findings;

  it("reports a final stage with no USER at its FROM line, and not the builder", () => {
    expect(rows(scan("no-user.Dockerfile"))).toEqual([
      [
        "app/no-user.Dockerfile",
        4,
        "medium",
        "The final stage (FROM gcr.io/distroless/static-debian12) sets no USER: it runs as the base image's user, which is root unless the image sets another",
        false,
        undefined,
      ],
    ]);
  });

  it("says that FROM scratch runs as UID 0", () => {
    expect(rows(scan("scratch.Dockerfile"))).toEqual([
      ["app/scratch.Dockerfile", 3, "medium", "The final stage (FROM scratch) sets no USER: a scratch image has no user of its own, so it runs as root (UID 0)", false, undefined],
    ]);
  });

  it("reports the last USER of the final stage when it is root (0:0)", () => {
    expect(rows(scan("user-root.Dockerfile"))).toEqual([
      ["app/user-root.Dockerfile", 7, "medium", "The final stage runs as root: USER 0:0; use a non-root user (a numeric UID such as 65532)", false, undefined],
    ]);
  });

  it("finds nothing when the last USER is not root, when it is inherited from an earlier stage, or for a nonroot distroless base", () => {
    expect(scan("user-nonroot.Dockerfile")).toEqual([]);
    expect(scan("inherited.Dockerfile")).toEqual([]);
    expect(scan("distroless-nonroot.Dockerfile")).toEqual([]);
  });
});
