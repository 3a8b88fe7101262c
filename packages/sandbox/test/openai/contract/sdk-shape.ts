// Checks a JSON value against a type the openai SDK declares, read from its .d.ts files with the
// TypeScript compiler: required fields present, no field the SDK does not know, primitives and
// literal unions (finish_reason, object, role…) as declared, arrays and nested objects recursively.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export type ShapeName = 'completion' | 'chunk' | 'model';

export interface ShapeChecker {
  /** problems found, each with the JSON path; [] when the value conforms */
  check(name: ShapeName, value: unknown): string[];
}

export function loadSdkShapes(): ShapeChecker {
  const file = fileURLToPath(new URL('./sdk-types.ts', import.meta.url));
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'SdkShapes');
  if (!alias) throw new Error('sdk-types.ts: SdkShapes not found');
  const shapes = checker.getTypeAtLocation(alias.name);
  const roots = new Map<ShapeName, ts.Type>();
  for (const p of checker.getPropertiesOfType(shapes)) {
    const t = checker.getTypeOfSymbol(p);
    if (t.flags & ts.TypeFlags.Any) throw new Error(`sdk-types.ts: ${p.name} resolved to any: the openai types did not load`);
    roots.set(p.name as ShapeName, t);
  }

  const describe = (t: ts.Type) => checker.typeToString(t);

  function conform(value: unknown, type: ts.Type, path: string, out: string[]): void {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (type.isUnion()) {
      let best: string[] | undefined;
      for (const member of type.types) {
        const errs: string[] = [];
        conform(value, member, path, errs);
        if (!errs.length) return;
        if (!best || errs.length < best.length) best = errs;
      }
      // one mismatching member of an object union is more useful than "matches none"
      const objects = type.types.filter((m) => m.flags & ts.TypeFlags.Object);
      if (objects.length === 1 && value !== null && typeof value === 'object') out.push(...best!);
      else out.push(`${path}: ${JSON.stringify(value)} is not ${describe(type)}`);
      return;
    }
    if (f & ts.TypeFlags.Null) return void (value === null || out.push(`${path}: expected null, got ${JSON.stringify(value)}`));
    if (f & ts.TypeFlags.Undefined) return void (value === undefined || out.push(`${path}: expected undefined`));
    if (f & ts.TypeFlags.StringLiteral) return void (value === (type as ts.StringLiteralType).value || out.push(`${path}: expected '${(type as ts.StringLiteralType).value}', got ${JSON.stringify(value)}`));
    if (f & ts.TypeFlags.NumberLiteral) return void (value === (type as ts.NumberLiteralType).value || out.push(`${path}: expected ${(type as ts.NumberLiteralType).value}`));
    if (f & ts.TypeFlags.BooleanLiteral) return void (value === (describe(type) === 'true') || out.push(`${path}: expected ${describe(type)}, got ${JSON.stringify(value)}`));
    if (f & ts.TypeFlags.String) return void (typeof value === 'string' || out.push(`${path}: expected a string, got ${JSON.stringify(value)}`));
    if (f & ts.TypeFlags.Number) return void (typeof value === 'number' || out.push(`${path}: expected a number, got ${JSON.stringify(value)}`));
    if (f & ts.TypeFlags.Boolean) return void (typeof value === 'boolean' || out.push(`${path}: expected a boolean, got ${JSON.stringify(value)}`));
    if (checker.isArrayType(type)) {
      if (!Array.isArray(value)) return void out.push(`${path}: expected an array, got ${JSON.stringify(value)}`);
      const element = checker.getTypeArguments(type as ts.TypeReference)[0]!;
      value.forEach((v, i) => conform(v, element, `${path}[${i}]`, out));
      return;
    }
    if (f & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return void out.push(`${path}: expected an object (${describe(type)}), got ${JSON.stringify(value)}`);
      const record = value as Record<string, unknown>;
      const props = checker.getPropertiesOfType(type);
      for (const p of props) {
        const optional = (p.flags & ts.SymbolFlags.Optional) !== 0;
        if (!(p.name in record)) {
          if (!optional) out.push(`${path}.${p.name}: required by the SDK's ${describe(type)}, missing`);
          continue;
        }
        conform(record[p.name], checker.getTypeOfSymbol(p), `${path}.${p.name}`, out);
      }
      if (checker.getIndexInfosOfType(type).length === 0) {
        const known = new Set(props.map((p) => p.name));
        for (const k of Object.keys(record)) if (!known.has(k)) out.push(`${path}.${k}: not a field of the SDK's ${describe(type)}`);
      }
      return;
    }
    out.push(`${path}: the checker does not handle ${describe(type)}`);
  }

  return {
    check(name, value) {
      const root = roots.get(name);
      if (!root) throw new Error(`no SDK shape ${name}`);
      const out: string[] = [];
      conform(value, root, name, out);
      return out;
    },
  };
}
