// Fills "{{path.to.value}}" placeholders of an action input template from a decision's context.
// A string that is exactly one placeholder takes the value as is (numbers stay numbers, lists stay lists).
const whole = /^\{\{\s*([\w.]+)\s*\}\}$/;
const part = /\{\{\s*([\w.]+)\s*\}\}/g;

function lookup(context: Record<string, unknown>, path: string): unknown {
  let cur: unknown = context;
  for (const key of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function fillTemplate(template: unknown, context: Record<string, unknown>): unknown {
  if (typeof template === 'string') {
    const m = whole.exec(template);
    if (m) return lookup(context, m[1]!);
    return template.replace(part, (_, path: string) => String(lookup(context, path) ?? ''));
  }
  if (Array.isArray(template)) return template.map((t) => fillTemplate(t, context));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillTemplate(v, context)]));
  }
  return template;
}

/** the placeholders a template uses (for validation at config load) */
export function placeholders(template: unknown, out: string[] = []): string[] {
  if (typeof template === 'string') for (const m of template.matchAll(part)) out.push(m[1]!);
  else if (Array.isArray(template)) template.forEach((t) => placeholders(t, out));
  else if (template && typeof template === 'object') Object.values(template).forEach((v) => placeholders(v, out));
  return out;
}
