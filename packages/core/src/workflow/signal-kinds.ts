// Signal kinds are open: a connector (or the config) registers the kinds it emits, each with a
// category, and the models use every registered kind through its category's learned weight. The
// nine built-in kinds keep their own features; a kind nobody registered is stored but reaches no
// model, and the workflow run says so once.
import { z } from 'zod';
import { RevloopError } from '../errors.js';
import type { RevloopConfig } from '../config/schema.js';
import type { Registry } from '../registry.js';
import { signalKinds, type SignalKind } from './tasks.js';

export const signalCategories = ['web', 'content', 'event', 'email', 'ad', 'sales'] as const;
export type SignalCategory = (typeof signalCategories)[number];

export const signalKindDeclarationSchema = z
  .object({
    category: z.enum(signalCategories),
    /** what the signal means, for people reading decisions and docs */
    description: z.string().optional(),
  })
  .strict();
export type SignalKindDeclaration = z.output<typeof signalKindDeclarationSchema>;

export const signalKindNameSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and underscores, e.g. webinar_attended');

/** the built-in kinds' categories */
export const builtinSignalCategories: Readonly<Record<SignalKind, SignalCategory>> = {
  page_view: 'web',
  pricing_visit: 'web',
  demo_visit: 'web',
  content_download: 'content',
  email_open: 'email',
  email_click: 'email',
  ad_impression: 'ad',
  ad_click: 'ad',
  form_fill: 'sales',
};

export interface RegisteredSignalKind {
  category: SignalCategory;
  description?: string;
  /** who registered it: a connector's name, `config`, or `revloop` for the built-ins */
  from: string;
}

export type SignalKindRegistry = ReadonlyMap<string, RegisteredSignalKind>;

/**
 * Every kind the configured connectors and the config register, with the built-ins. A kind
 * registered twice with different categories is refused (exit 2) with where each came from.
 */
export function signalKindRegistry(config: Pick<RevloopConfig, 'signalKinds'>, registry?: Pick<Registry, 'connectors'>): SignalKindRegistry {
  const kinds = new Map<string, RegisteredSignalKind>();
  for (const k of signalKinds) kinds.set(k, { category: builtinSignalCategories[k], from: 'revloop' });
  const add = (kind: string, d: SignalKindDeclaration, from: string, where: string) => {
    const prev = kinds.get(kind);
    if (prev && prev.category !== d.category)
      throw new RevloopError('SIGNAL_KIND_CONFLICT', `signal kind "${kind}" is registered as "${prev.category}" by ${prev.from} and as "${d.category}" by ${from}`, {
        where,
        fix: prev.from === 'revloop' ? `"${kind}" is a built-in kind (${prev.category}): emit it under another name, or drop the registration` : `give "${kind}" one category (${signalCategories.join(', ')}) everywhere, or rename one of them`,
        kind: 'bad_input',
      });
    if (!prev) kinds.set(kind, { category: d.category, description: d.description, from });
  };
  for (const c of registry?.connectors.values() ?? []) {
    if (!c.enabled) continue;
    for (const [kind, d] of Object.entries(c.definition.signalKinds ?? {})) add(kind, d, `connector ${c.name}`, `connector ${c.name} (its signalKinds)`);
  }
  for (const [kind, d] of Object.entries(config.signalKinds ?? {})) add(kind, d, 'config', `signalKinds.${kind}`);
  return kinds;
}

export function emptyCategoryCounts(): Record<SignalCategory, number> {
  return { web: 0, content: 0, event: 0, email: 0, ad: 0, sales: 0 };
}
