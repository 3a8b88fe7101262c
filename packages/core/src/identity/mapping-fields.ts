// A mapping field (identity.accounts.mappingFields) names an attribute of one connector's
// accounts that holds another system's id. An attribute nobody declared is most often a typo:
// resolution would silently never match on it. So it must be a declared account custom field
// (customFields.account, by that connector or the config), which also gives it a type.
import { RevloopError } from '../errors.js';
import type { RevloopConfig } from '../config/schema.js';
import type { CustomFieldRegistry } from '../workflow/custom-fields.js';

export function checkMappingFields(config: Pick<RevloopConfig, 'identity'>, custom: CustomFieldRegistry): void {
  const mappings = config.identity?.accounts.mappingFields ?? [];
  mappings.forEach((m, i) => {
    const declared = custom.account.filter((f) => f.from === `connector ${m.system}` || f.from === 'config');
    if (declared.some((f) => f.attribute === m.attribute)) return;
    throw new RevloopError('IDENTITY_MAPPING_FIELD_UNKNOWN', `identity mapping field "${m.attribute}" of ${m.system} is not a declared account field, so no account could ever match on it`, {
      where: `identity.accounts.mappingFields.${i}.attribute`,
      fix: `declare it: customFields: { account: { ${m.attribute}: { type: string } } } (the key of the ${m.system} accounts' attributes that holds the ${m.refersTo} id)${declared.length ? `; declared account fields: ${declared.map((f) => f.attribute).join(', ')}` : ''}`,
      kind: 'bad_input',
    });
  });
}
