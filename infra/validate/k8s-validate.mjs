// Validates Kubernetes manifests offline. Run by infra/validate.sh, which installs the pinned npm
// packages this imports into a tools directory and runs a copy of this file from there.
//
//   node k8s-validate.mjs FILE.yaml...
//
// Each YAML document is checked three ways:
//   1. schema: the OpenAPI schema of its apiVersion/kind (package kubernetes-models): required fields,
//      types, enums and formats;
//   2. strict fields: the document as a TypeScript object literal typed with the package
//      kubernetes-types, so an unknown or misspelt field anywhere is an error (what kubectl's strict
//      field validation rejects);
//   3. consistency across the files: one namespace, selectors that match their pod templates, Services
//      that select some pod, probe and Service ports that name a container port, service accounts and
//      roles that exist, $(VAR) references to variables defined earlier, a kustomization that lists
//      every manifest.
// Exits 1 when any document fails, after reporting every failure.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node k8s-validate.mjs FILE.yaml...");
  process.exit(2);
}

const errors = [];
const fail = (where, message) => errors.push(`${where}: ${message}`);

// ---- parse ---------------------------------------------------------------------------------------
const docs = [];
let kustomization = null;
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  const parsed = parseAllDocuments(text, { prettyErrors: true });
  parsed.forEach((doc, index) => {
    const where = `${path.basename(file)}#${index + 1}`;
    if (doc.errors.length > 0) {
      for (const e of doc.errors) fail(where, `YAML: ${e.message}`);
      return;
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    if (typeof value !== "object" || Array.isArray(value)) {
      fail(where, "a manifest must be a mapping");
      return;
    }
    const id = `${where} ${value.kind ?? "?"}/${value.metadata?.name ?? "?"}`;
    if (value.kind === "Kustomization") {
      kustomization = { file, value, id };
      return;
    }
    if (!value.apiVersion || !value.kind) {
      fail(id, "apiVersion and kind are required");
      return;
    }
    if (!value.metadata?.name) fail(id, "metadata.name is required");
    docs.push({ file, index, value, id });
  });
}

// ---- 1. schema -----------------------------------------------------------------------------------
function modelModule(apiVersion, kind) {
  // kubernetes-models lays its classes out as <group>/<version>/<Kind>, "v1/<Kind>" for the core group.
  return `kubernetes-models/${apiVersion}/${kind}`;
}

for (const doc of docs) {
  let Model;
  try {
    const module = await import(modelModule(doc.value.apiVersion, doc.value.kind));
    Model = module[doc.value.kind];
  } catch {
    fail(doc.id, `unknown apiVersion/kind ${doc.value.apiVersion}/${doc.value.kind}`);
    continue;
  }
  try {
    new Model(doc.value).validate();
  } catch (e) {
    fail(doc.id, `schema: ${e.message}`);
  }
}

// ---- 2. strict fields (TypeScript excess-property checks) -----------------------------------------
function typesModule(apiVersion) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["core", apiVersion];
  // kubernetes-types names a group by its first DNS label: rbac.authorization.k8s.io -> rbac.
  return `kubernetes-types/${group.split(".")[0]}/${version}`;
}

{
  const lines = [];
  const imports = new Map();
  const lineOfDoc = [];
  for (const doc of docs) {
    const module = typesModule(doc.value.apiVersion);
    if (!imports.has(module)) imports.set(module, `m${imports.size}`);
  }
  for (const [module, alias] of imports) lines.push(`import type * as ${alias} from ${JSON.stringify(module)};`);
  for (const [i, doc] of docs.entries()) {
    const alias = imports.get(typesModule(doc.value.apiVersion));
    lineOfDoc.push({ start: lines.length, doc });
    lines.push(...`export const d${i}: ${alias}.${doc.value.kind} = ${JSON.stringify(doc.value, null, 1)};`.split("\n"));
  }
  const source = path.join(here, "manifests.check.ts");
  fs.writeFileSync(source, lines.join("\n") + "\n");
  const program = ts.createProgram([source], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    types: [],
  });
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n  ");
    if (!d.file || d.file.fileName !== source) {
      fail("typescript", message);
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const owner = [...lineOfDoc].reverse().find((entry) => entry.start <= line);
    const snippet = d.file.text.split("\n")[line].trim();
    fail(owner ? owner.doc.id : "typescript", `field check: ${message} (at ${snippet})`);
  }
}

// ---- 3. consistency ------------------------------------------------------------------------------
const byKind = (kind) => docs.filter((d) => d.value.kind === kind);
const namespaces = new Set(byKind("Namespace").map((d) => d.value.metadata.name));
const workloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "Job"];
const workloads = docs.filter((d) => workloadKinds.includes(d.value.kind));
const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => (labels ?? {})[k] === v);

for (const doc of docs) {
  const ns = doc.value.metadata?.namespace;
  if (doc.value.kind !== "Namespace" && namespaces.size > 0 && ns !== undefined && !namespaces.has(ns)) {
    fail(doc.id, `namespace ${ns} is not one of the Namespaces defined here (${[...namespaces].join(", ")})`);
  }
}

for (const doc of workloads) {
  const spec = doc.value.spec ?? {};
  const template = spec.template ?? {};
  const labels = template.metadata?.labels ?? {};
  if (spec.selector?.matchLabels && !matches(spec.selector.matchLabels, labels)) {
    fail(doc.id, "spec.selector.matchLabels does not match spec.template.metadata.labels");
  }
  const pod = template.spec ?? {};
  const sa = pod.serviceAccountName;
  if (sa && !byKind("ServiceAccount").some((s) => s.value.metadata.name === sa)) {
    fail(doc.id, `serviceAccountName ${sa} is not defined here`);
  }
  if (doc.value.kind === "StatefulSet" && spec.serviceName && !byKind("Service").some((s) => s.value.metadata.name === spec.serviceName)) {
    fail(doc.id, `serviceName ${spec.serviceName} is not a Service defined here`);
  }
  const volumes = new Set([
    ...(pod.volumes ?? []).map((v) => v.name),
    ...(spec.volumeClaimTemplates ?? []).map((v) => v.metadata?.name),
  ]);
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const ports = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
    const numbers = new Set((c.ports ?? []).map((p) => p.containerPort));
    for (const probeName of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      const port = c[probeName]?.httpGet?.port ?? c[probeName]?.tcpSocket?.port;
      if (typeof port === "string" && !ports.has(port)) fail(doc.id, `${c.name}.${probeName} names port ${port}, which the container does not declare`);
      if (typeof port === "number" && !numbers.has(port)) fail(doc.id, `${c.name}.${probeName} uses port ${port}, which the container does not declare`);
    }
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.has(m.name)) fail(doc.id, `${c.name} mounts volume ${m.name}, which the pod does not define`);
    }
    const defined = new Set();
    for (const e of c.env ?? []) {
      for (const [, ref] of String(e.value ?? "").matchAll(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
        if (!defined.has(ref)) fail(doc.id, `${c.name} env ${e.name} refers to $(${ref}), which is not defined before it`);
      }
      defined.add(e.name);
    }
  }
}

for (const svc of byKind("Service")) {
  const selector = svc.value.spec?.selector;
  if (!selector) continue;
  const targets = workloads.filter((w) => matches(selector, w.value.spec?.template?.metadata?.labels));
  if (targets.length === 0) {
    fail(svc.id, "spec.selector matches no pod template defined here");
    continue;
  }
  for (const p of svc.value.spec?.ports ?? []) {
    if (typeof p.targetPort !== "string") continue;
    const declared = targets.some((w) =>
      (w.value.spec.template.spec?.containers ?? []).some((c) => (c.ports ?? []).some((cp) => cp.name === p.targetPort)),
    );
    if (!declared) fail(svc.id, `targetPort ${p.targetPort} is not a named port of the selected pods`);
  }
}

for (const pdb of byKind("PodDisruptionBudget")) {
  const selector = pdb.value.spec?.selector?.matchLabels;
  if (selector && !workloads.some((w) => matches(selector, w.value.spec?.template?.metadata?.labels))) {
    fail(pdb.id, "spec.selector matches no pod template defined here");
  }
}

for (const rb of byKind("RoleBinding")) {
  const ref = rb.value.roleRef ?? {};
  if (ref.kind === "Role" && !byKind("Role").some((r) => r.value.metadata.name === ref.name)) {
    fail(rb.id, `roleRef names Role ${ref.name}, which is not defined here`);
  }
  for (const s of rb.value.subjects ?? []) {
    if (s.kind === "ServiceAccount" && !byKind("ServiceAccount").some((a) => a.value.metadata.name === s.name)) {
      fail(rb.id, `subject ServiceAccount ${s.name} is not defined here`);
    }
  }
}

if (kustomization) {
  const k = kustomization.value;
  const allowed = new Set(["apiVersion", "kind", "namespace", "resources", "images", "labels", "commonLabels", "commonAnnotations", "namePrefix", "nameSuffix", "patches", "configMapGenerator", "secretGenerator", "generatorOptions", "replicas"]);
  for (const key of Object.keys(k)) if (!allowed.has(key)) fail(kustomization.id, `unexpected field ${key}`);
  if (k.apiVersion !== "kustomize.config.k8s.io/v1beta1") fail(kustomization.id, "apiVersion must be kustomize.config.k8s.io/v1beta1");
  const dir = path.dirname(kustomization.file);
  const listed = new Set((k.resources ?? []).map((r) => path.resolve(dir, r)));
  for (const r of listed) if (!fs.existsSync(r)) fail(kustomization.id, `resource ${path.relative(dir, r)} does not exist`);
  for (const file of new Set(docs.map((d) => path.resolve(d.file)))) {
    if (path.dirname(file) === path.resolve(dir) && !listed.has(file)) fail(kustomization.id, `${path.basename(file)} is not listed in resources`);
  }
  if (k.namespace && namespaces.size > 0 && !namespaces.has(k.namespace)) fail(kustomization.id, `namespace ${k.namespace} is not defined here`);
}

// ---- report --------------------------------------------------------------------------------------
for (const e of errors) console.error(`INVALID ${e}`);
const summary = `${docs.length + (kustomization ? 1 : 0)} documents in ${files.length} files`;
if (errors.length > 0) {
  console.error(`k8s: ${errors.length} problem(s) in ${summary}`);
  process.exit(1);
}
console.log(`k8s: ${summary} valid (schema, strict fields, cross-references)`);
