/** capabilities-not-dropped: capabilities.drop must include ALL; the fix adds drop: [ALL] or appends ALL to the list (risky), keeping add:. */
import { describe, expect, it } from "vitest";
import { deployment, run } from "./helpers.js";

const RULE = ["capabilities-not-dropped"];
const RISK =
  "The container loses every Linux capability it does not add back. An application that binds a port below 1024 (NET_BIND_SERVICE), sends ping or raw packets (NET_RAW), changes file ownership (CHOWN) or switches users (SETUID, SETGID) will fail until that capability is listed under capabilities.add. Check what the container needs before merging.";
const NOT_DROPPED = (name: string) => `container "${name}" does not drop all capabilities: securityContext.capabilities.drop does not include ALL`;

describe("capabilities-not-dropped", () => {
  it("reports a missing drop, a drop without ALL, and a drop that is not a list; passes drop: [ALL]", () => {
    const { found } = run(
      {
        "web.yaml": deployment(
          "web",
          `      containers:
        - name: none
          image: a:1
        - name: partial
          image: b:1
          securityContext:
            capabilities:
              drop:
                - NET_RAW
                - MKNOD
        - name: scalar
          image: c:1
          securityContext:
            capabilities:
              drop: ALL
        - name: good
          image: d:1
          securityContext:
            capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
`,
        ),
      },
      RULE,
    );
    expect(found).toEqual([
      ["web.yaml", 9, NOT_DROPPED("none"), true, undefined],
      [
        "web.yaml",
        15,
        'container "partial" drops only NET_RAW, MKNOD, not ALL: it keeps the runtime\'s other default capabilities',
        true,
        undefined,
      ],
      [
        "web.yaml",
        22,
        'container "scalar" sets capabilities.drop: ALL, which is not a list that includes ALL',
        false,
        'container "scalar" sets capabilities.drop to something that is not a list; correct it by hand',
      ],
    ]);
  });

  it("fixes a container without securityContext, risky, with its risk", () => {
    const text = deployment("web", "      containers:\n        - name: app\n          image: app:1\n");
    const { after, changeset } = run({ "web.yaml": text }, RULE);
    expect(after).toEqual({ "web.yaml": `${text}          securityContext:\n            capabilities:\n              drop:\n                - ALL\n` });
    expect(changeset.applied.map((fix) => [fix.rule, fix.explanation, fix.risk, fix.risky])).toEqual([
      ["capabilities-not-dropped", 'Sets securityContext.capabilities.drop to [ALL] on container "app".', RISK, true],
    ]);
  });

  it("adds drop next to an add list in an existing securityContext, keeping comments and the add list", () => {
    const before = deployment(
      "web",
      `      containers:
        - name: app # the server
          image: app:1
          securityContext:
            runAsNonRoot: true # set by the platform team
            capabilities:
              # binds :80
              add: ["NET_BIND_SERVICE"]

          ports:
            - containerPort: 80
`,
    );
    const { after, changeset } = run({ "web.yaml": before }, RULE);
    expect(after["web.yaml"]).toBe(
      deployment(
        "web",
        `      containers:
        - name: app # the server
          image: app:1
          securityContext:
            runAsNonRoot: true # set by the platform team
            capabilities:
              # binds :80
              add: ["NET_BIND_SERVICE"]
              drop:
                - ALL

          ports:
            - containerPort: 80
`,
      ),
    );
    expect(changeset.applied.map((fix) => fix.explanation)).toEqual([
      'Sets securityContext.capabilities.drop to [ALL] on container "app", keeping the capabilities it adds back (NET_BIND_SERVICE).',
    ]);
  });

  it("writes into a flow-style securityContext and fills an empty drop list, with CRLF kept", () => {
    const before = [
      "apiVersion: v1",
      "kind: Pod",
      "metadata:",
      "  name: p",
      "spec:",
      "  containers:",
      "  - name: a",
      "    image: a:1",
      "    securityContext: {runAsNonRoot: true}  # flow",
      "  - name: b",
      "    image: b:1",
      "    securityContext:",
      "      capabilities:",
      "        drop: []",
      "",
    ].join("\r\n");
    const { found, after } = run({ "pod.yaml": before }, RULE);
    expect(found).toEqual([
      ["pod.yaml", 9, NOT_DROPPED("a"), true, undefined],
      ["pod.yaml", 14, NOT_DROPPED("b"), true, undefined],
    ]);
    expect(after["pod.yaml"]).toBe(
      before
        .replace("{runAsNonRoot: true}  # flow", "{runAsNonRoot: true, capabilities: {drop: [ALL]}}  # flow")
        // An empty flow list becomes a block list, in the file's own (unindented) sequence style.
        .replace("drop: []", "drop:\r\n        - ALL"),
    );
  });

  it("appends ALL to a drop list that names other capabilities, block or flow, keeping its comments", () => {
    const before = deployment(
      "web",
      `      containers:
        - name: block
          image: a:1
          securityContext:
            capabilities:
              drop:
                - NET_RAW # ping is not needed
                - MKNOD
              add: [NET_BIND_SERVICE]
        - name: flow
          image: b:1
          securityContext:
            capabilities: {drop: [NET_RAW]}
        - name: odd
          image: c:1
          securityContext:
            capabilities:
              drop: [NET_RAW, {name: MKNOD}]
`,
    );
    const { found, after, changeset } = run({ "web.yaml": before }, RULE);
    expect(found.map(([, line, , fixable, reason]) => [line, fixable, reason])).toEqual([
      [13, true, undefined],
      [20, true, undefined],
      [25, false, 'container "odd" sets capabilities.drop to something that is not a list; correct it by hand'],
    ]);
    expect(after["web.yaml"]).toBe(
      before.replace("                - MKNOD\n", "                - MKNOD\n                - ALL\n").replace("{drop: [NET_RAW]}", "{drop: [NET_RAW, ALL]}"),
    );
    expect(changeset.applied.map((fix) => fix.explanation)).toEqual([
      'Adds ALL to securityContext.capabilities.drop on container "block", which dropped only NET_RAW, MKNOD, keeping the capabilities it adds back (NET_BIND_SERVICE).',
      'Adds ALL to securityContext.capabilities.drop on container "flow", which dropped only NET_RAW.',
    ]);
  });

  it("does not fix a privileged container", () => {
    const { found } = run(
      { "web.yaml": deployment("web", "      containers:\n        - name: app\n          image: app:1\n          securityContext:\n            privileged: true\n") },
      RULE,
    );
    expect(found).toEqual([
      [
        "web.yaml",
        11,
        NOT_DROPPED("app"),
        false,
        'container "app" is privileged, so it keeps every capability whatever it drops; Shipshape does not take privileges away that may be needed, decide by hand',
      ],
    ]);
  });
});
