import { podSpecOf } from "../model/pods.js";
import { get, getPair, getText, isMap, seqItems } from "../yaml/nodes.js";
import { NO_PARAMS, type Hit, type ResourceCheck } from "./types.js";

/** A pod volume of type `hostPath`: one hit per volume, at its `hostPath` key. */
export const hostPathVolumes: ResourceCheck = {
  name: "host-path-volumes",
  scope: "resource",
  paramsSchema: NO_PARAMS,
  run(resource) {
    const pod = podSpecOf(resource);
    if (!pod) return [];
    const hits: Hit[] = [];
    seqItems(get(pod.spec, "volumes")).forEach((volume, index) => {
      const hostPath = getPair(volume, "hostPath");
      if (!isMap(volume) || !hostPath) return;
      const name = getText(volume, "name") ?? `#${index + 1}`;
      const path = getText(hostPath.value, "path");
      const where = path === undefined || path === "" ? "a path of the node (no path is given)" : `the node's path ${path}`;
      hits.push({ offset: hostPath.key.offset, message: `${resource.kind} "${resource.name}" mounts ${where} through hostPath volume "${name}"`, detail: `volume/${name}` });
    });
    return hits;
  },
};
