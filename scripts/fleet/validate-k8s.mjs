// Validates Kubernetes manifests: every document against the Kubernetes API's JSON Schemas
// (kubernetes-models, by apiVersion and kind), then a table of rules of our own that the schemas
// cannot express (node selection, Indexed Jobs, references between documents).
// Usage: node validate-k8s.mjs FILE...   Exit 1 naming the file, document and rule on any failure.
import fs from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(process.env.FLEET_NPM + "/node_modules/");
const YAML = require("yaml");
// kubernetes-models is ESM only: imported by file path from the folder the stage installed it in.
const group = async (path) => import(pathToFileURL(`${process.env.FLEET_NPM}/node_modules/kubernetes-models/${path}/index.js`));
const core = await group("v1"), batch = await group("batch/v1");
const models = {
  "v1/Namespace": core.Namespace,
  "v1/PersistentVolumeClaim": core.PersistentVolumeClaim,
  "v1/ConfigMap": core.ConfigMap,
  "v1/Pod": core.Pod,
  "batch/v1/Job": batch.Job,
};

const podSpec = (d) => (d.kind === "Pod" ? d.spec : d.spec?.template?.spec) ?? {};

// Rules across documents: [id, applies to, check returning an error text or ""].
const rules = [
  ["os-selector", (d) => d.kind === "Job" || d.kind === "Pod", (d) =>
    ["linux", "windows"].includes(podSpec(d).nodeSelector?.["kubernetes.io/os"]) ? "" :
      "nodeSelector kubernetes.io/os must be linux or windows"],
  ["windows-build-selector", (d) => podSpec(d).nodeSelector?.["kubernetes.io/os"] === "windows", (d) =>
    /^10\.0\.\d+$/.test(podSpec(d).nodeSelector?.["node.kubernetes.io/windows-build"] ?? "") ? "" :
      "a Windows pod selects node.kubernetes.io/windows-build \"10.0.<build>\""],
  ["indexed-per-pool", (d) => d.kind === "Job" && d.metadata.name.includes("certify"), (d) =>
    d.spec.completionMode === "Indexed" && d.spec.completions === d.spec.parallelism &&
    podSpec(d).topologySpreadConstraints?.some((c) => c.topologyKey === "kubernetes.io/hostname" &&
      c.whenUnsatisfiable === "DoNotSchedule") ? "" :
      "a certify Job is Indexed, completions == parallelism, one pod per node (hostname spread, DoNotSchedule)"],
  ["no-retries", (d) => d.kind === "Job", (d) =>
    d.spec.backoffLimit === 0 ? "" : "backoffLimit 0: a rerun would duplicate a host's results"],
  ["hostprocess-windows", (d) => podSpec(d).nodeSelector?.["kubernetes.io/os"] === "windows", (d) =>
    podSpec(d).securityContext?.windowsOptions?.hostProcess === true && podSpec(d).hostNetwork === true ? "" :
      "a Windows certify pod is a HostProcess pod (hostProcess: true, hostNetwork: true) to reach HCS"],
];

function refs(d) {
  const out = [];
  for (const v of podSpec(d).volumes ?? []) {
    if (v.persistentVolumeClaim) out.push(["PersistentVolumeClaim", v.persistentVolumeClaim.claimName]);
    if (v.configMap) out.push(["ConfigMap", v.configMap.name]);
  }
  for (const c of podSpec(d).containers ?? [])
    for (const e of c.env ?? [])
      if (e.valueFrom?.configMapKeyRef) out.push(["ConfigMap", e.valueFrom.configMapKeyRef.name, e.valueFrom.configMapKeyRef.key]);
  return out;
}

let errors = 0;
const fail = (where, msg) => { console.error(`${where}: ${msg}`); errors++; };
const all = [];
for (const file of process.argv.slice(2)) {
  YAML.parseAllDocuments(fs.readFileSync(file, "utf8")).forEach((doc, i) => {
    const where = `${file} document ${i + 1}`;
    if (doc.errors.length) return fail(where, `YAML: ${doc.errors[0].message}`);
    const d = doc.toJS();
    const Model = models[`${d.apiVersion}/${d.kind}`];
    if (!Model) return fail(where, `no schema for ${d.apiVersion} ${d.kind}`);
    try {
      new Model(d).validate();
    } catch (e) {
      return fail(`${where} (${d.kind} ${d.metadata?.name})`, `schema: ${e.message}`);
    }
    all.push({ where: `${where} (${d.kind} ${d.metadata.name})`, d });
  });
}
const named = new Map(all.map(({ d }) => [`${d.kind}/${d.metadata.name}`, d]));
const namespaces = new Set(all.filter(({ d }) => d.kind === "Namespace").map(({ d }) => d.metadata.name));
for (const { where, d } of all) {
  for (const [id, applies, check] of rules) {
    const msg = applies(d) ? check(d) : "";
    if (msg) fail(where, `${id}: ${msg}`);
  }
  if (d.kind !== "Namespace" && !namespaces.has(d.metadata.namespace)) fail(where, `namespace ${d.metadata.namespace} is not defined`);
  for (const [kind, name, key] of refs(d)) {
    const target = named.get(`${kind}/${name}`);
    if (!target) fail(where, `refers to ${kind} ${name}, which is not defined`);
    else if (key && !(key in (target.data ?? {}))) fail(where, `refers to key ${key} of ConfigMap ${name}, which has none`);
  }
}
if (errors) process.exit(1);
console.log(`kubernetes: ${all.length} documents valid (schemas and ${rules.length} rules)`);
