/** host-path-mounted: one finding per hostPath volume of a pod spec, naming the volume and the path; no fix. */
import { describe, expect, it } from "vitest";
import { deployment, run } from "./helpers.js";

const RULE = ["host-path-mounted"];

describe("host-path-mounted", () => {
  it("reports every hostPath volume at its hostPath key, with its name and path", () => {
    const { found, after } = run(
      {
        "web.yaml": deployment(
          "web",
          `      containers:
        - name: app
          image: app:1
      volumes:
        - name: scratch
          emptyDir: {}
        - name: docker
          hostPath:
            path: /var/run/docker.sock
            type: Socket
        - {name: logs, hostPath: {path: /var/log}}
        - name: odd
          hostPath: {}
`,
        ),
      },
      RULE,
    );
    expect(found).toEqual([
      ["web.yaml", 15, 'Deployment "web" mounts the node\'s path /var/run/docker.sock through hostPath volume "docker"', false, undefined],
      ["web.yaml", 18, 'Deployment "web" mounts the node\'s path /var/log through hostPath volume "logs"', false, undefined],
      ["web.yaml", 20, 'Deployment "web" mounts a path of the node (no path is given) through hostPath volume "odd"', false, undefined],
    ]);
    expect(after).toEqual({});
  });

  it("passes pods without hostPath volumes, and hostPath keys outside volumes", () => {
    const { found } = run(
      {
        "web.yaml": deployment(
          "web",
          `      containers:
        - name: app
          image: app:1
          env:
            - name: hostPath
              value: /data
      volumes:
        - name: data
          persistentVolumeClaim:
            claimName: data
        - name: config
          configMap:
            name: web
`,
        ),
        "pv.yaml": "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: local\nspec:\n  hostPath:\n    path: /mnt/data\n",
      },
      RULE,
    );
    expect(found).toEqual([]);
  });
});
