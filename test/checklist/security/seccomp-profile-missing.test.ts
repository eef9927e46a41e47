/** seccomp-profile-missing: the container's or its pod's seccompProfile.type must be RuntimeDefault or Localhost. */
import { describe, expect, it } from "vitest";
import { deployment, run } from "./helpers.js";

const RULE = ["seccomp-profile-missing"];
const RISK =
  "The container runtime's default seccomp profile (Docker's, in containerd and CRI-O alike) refuses the system calls that it leaves out, such as mount, reboot, kexec_load and creating new namespaces. Ordinary applications never make them; debugging tools, sandboxes and some JIT runtimes may.";
const MISSING = (name: string) => `container "${name}" has no seccomp profile: neither it nor its pod sets seccompProfile.type to RuntimeDefault or Localhost`;

describe("seccomp-profile-missing", () => {
  it("reports a missing profile, an Unconfined one (own or inherited, not fixable) and an unknown type", () => {
    const { found } = run(
      {
        "web.yaml": deployment(
          "web",
          `      securityContext:
        seccompProfile:
          type: Unconfined
      containers:
        - name: inherits
          image: a:1
        - name: own
          image: b:1
          securityContext:
            seccompProfile:
              type: RuntimeDefault
`,
        ),
        "pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: plain
      image: a:1
    - name: unconfined
      image: b:1
      securityContext:
        seccompProfile: {type: Unconfined}
    - name: typo
      image: c:1
      securityContext:
        seccompProfile:
          type: runtimedefault
`,
      },
      RULE,
    );
    expect(found).toEqual([
      ["pod.yaml", 7, MISSING("plain"), true, undefined],
      [
        "pod.yaml",
        12,
        'container "unconfined" runs with seccompProfile type Unconfined: every system call is allowed',
        false,
        'container "unconfined" is set to seccompProfile type Unconfined on purpose; confining it may break what needed that, decide by hand',
      ],
      ["pod.yaml", 17, 'container "typo" has seccompProfile type runtimedefault, which is not RuntimeDefault or Localhost', true, undefined],
      [
        "web.yaml",
        10,
        "container \"inherits\" runs with seccompProfile type Unconfined (from its pod's securityContext): every system call is allowed",
        false,
        'container "inherits" is set to seccompProfile type Unconfined by its pod on purpose; confining it may break what needed that, decide by hand',
      ],
    ]);
  });

  it("passes RuntimeDefault or Localhost on the pod or the container", () => {
    const { found } = run(
      {
        "web.yaml": deployment(
          "web",
          `      securityContext:
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: a:1
        - name: local
          image: b:1
          securityContext:
            seccompProfile:
              type: Localhost
              localhostProfile: profiles/app.json
`,
        ),
      },
      RULE,
    );
    expect(found).toEqual([]);
  });

  it("fixes a container with an existing securityContext block, keeping comments, and one in flow style; not risky", () => {
    const before = `# web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: app:1
        securityContext:
          # hardened
          runAsNonRoot: true   # platform default
        resources: {}
      - name: side
        image: side:1
        securityContext: { allowPrivilegeEscalation: false }
`;
    const { after, changeset } = run({ "web.yaml": before }, RULE);
    expect(after["web.yaml"]).toBe(`# web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: app:1
        securityContext:
          # hardened
          runAsNonRoot: true   # platform default
          seccompProfile:
            type: RuntimeDefault
        resources: {}
      - name: side
        image: side:1
        securityContext: { allowPrivilegeEscalation: false, seccompProfile: {type: RuntimeDefault} }
`);
    expect(changeset.applied.map((fix) => [fix.rule, fix.explanation, fix.risk, fix.risky])).toEqual([
      ["seccomp-profile-missing", 'Sets securityContext.seccompProfile.type to RuntimeDefault on container "app".', RISK, false],
      ["seccomp-profile-missing", 'Sets securityContext.seccompProfile.type to RuntimeDefault on container "side".', RISK, false],
    ]);
    expect(changeset.skipped).toEqual([]);
  });

  it("fixes a container without securityContext, and corrects an unknown type in place", () => {
    const text = deployment("web", "      containers:\n        - name: app\n          image: app:1\n        - name: typo\n          image: t:1\n          securityContext:\n            seccompProfile:\n              type: \"runtimedefault\" # sic\n");
    const { after } = run({ "web.yaml": text }, RULE);
    expect(after).toEqual({
      "web.yaml": deployment(
        "web",
        "      containers:\n        - name: app\n          image: app:1\n          securityContext:\n            seccompProfile:\n              type: RuntimeDefault\n        - name: typo\n          image: t:1\n          securityContext:\n            seccompProfile:\n              type: \"RuntimeDefault\" # sic\n",
      ),
    });
  });

  it("does not fix a privileged container, which runs unconfined whatever profile it names", () => {
    const text = deployment("web", "      containers:\n        - name: agent\n          image: agent:1\n          securityContext:\n            privileged: true\n");
    const { found, changeset } = run({ "web.yaml": text }, RULE);
    const reason =
      'container "agent" is privileged, so it runs without seccomp whatever profile it names; Shipshape does not take privileges away that may be needed, decide by hand';
    expect(found).toEqual([["web.yaml", 11, MISSING("agent"), false, reason]]);
    expect(changeset.files).toEqual([]);
  });
});
