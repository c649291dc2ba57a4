/**
 * Kubernetes objects checked against the API's schemas, with kubernetes-models (its models
 * are generated from the Kubernetes OpenAPI document: `validate()` checks types, enums,
 * required fields and formats, and throws), and, since those schemas allow fields they do not
 * name (as the API server does without strict field validation, where a misspelt field is
 * dropped silently), against the same models' TypeScript types: each object as a typed
 * literal, compiled, where any field the type does not have is an error.
 */
import { join } from "node:path";
import { Job } from "kubernetes-models/batch/v1";
import { ConfigMap, PersistentVolumeClaim, Pod } from "kubernetes-models/v1";
import ts from "typescript";
import { ROOT } from "../support/cli.js";

interface Kind {
  validate: (object: object) => void;
  /** The module and interface of its TypeScript type. */
  type: [string, string];
}

const KINDS: Record<string, Kind> = {
  "batch/v1 Job": {
    validate: (object) => new Job(object as never).validate(),
    type: ["kubernetes-models/batch/v1/Job", "IJob"],
  },
  "v1 Pod": {
    validate: (object) => new Pod(object as never).validate(),
    type: ["kubernetes-models/v1/Pod", "IPod"],
  },
  "v1 ConfigMap": {
    validate: (object) => new ConfigMap(object as never).validate(),
    type: ["kubernetes-models/v1/ConfigMap", "IConfigMap"],
  },
  "v1 PersistentVolumeClaim": {
    validate: (object) => new PersistentVolumeClaim(object as never).validate(),
    type: ["kubernetes-models/v1/PersistentVolumeClaim", "IPersistentVolumeClaim"],
  },
};

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: a manifest read from YAML, narrowed by the tests
  spec?: any;
  data?: Record<string, string>;
}

function kindOf(object: KubeObject): Kind {
  const kind = KINDS[`${object.apiVersion} ${object.kind}`];
  if (kind === undefined) throw new Error(`no model for ${object.apiVersion} ${object.kind}`);
  return kind;
}

/** kubernetes-models' verdict: throws on a wrong type, an unknown enum value, a missing field. */
export function validateObject(object: KubeObject): void {
  kindOf(object).validate(object);
}

/**
 * Fields the Kubernetes types do not have, and any type error, of each object: one compiled
 * program, the objects as typed literals (TypeScript's excess property check). One message
 * per object at most, with the object's index.
 */
export function shapeErrors(objects: KubeObject[]): string[] {
  const file = join(ROOT, "test", "deploy", "__kubernetes_shapes__.ts");
  const lines = objects.map((object, index) => {
    const [module, name] = kindOf(object).type;
    return `import type { ${name} as T${index} } from "${module}";\nexport const o${index}: T${index} = ${JSON.stringify(object)};`;
  });
  const source = lines.join("\n");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file
      ? ts.createSourceFile(name, source, language)
      : getSourceFile(name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const line =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
        : -1;
    const object = Math.floor(line / 2);
    return `object ${object}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
  });
}
