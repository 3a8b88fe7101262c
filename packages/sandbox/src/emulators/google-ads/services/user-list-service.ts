// UserListService.MutateUserLists: create (CRM-based Customer Match lists only) and remove.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { z } from 'zod';
import type { CallContext } from '../call-context.js';
import { adsError, GoogleAdsCallError, operationLocation, partialFailureStatus, type AdsError } from '../failure.js';
import { unaryHandler } from '../handlers.js';

const userListOperation = z
  .object({
    create: z
      .object({ name: z.string().optional(), description: z.string().optional(), crm_based_user_list: z.object({}).passthrough().optional() })
      .passthrough()
      .optional(),
    remove: z.string().optional(),
    update: z.object({}).passthrough().optional(),
  })
  .passthrough();
const mutateRequest = z
  .object({
    customer_id: z.string().default(''),
    operations: z.array(userListOperation).default([]),
    partial_failure: z.boolean().default(false),
    validate_only: z.boolean().default(false),
  })
  .passthrough();

type Planned = { kind: 'create'; name: string; description?: string } | { kind: 'remove'; id: string };

export function userListServiceHandlers(ctx: CallContext) {
  const { state } = ctx;
  const listPattern = new RegExp(`^customers/${state.customerId}/userLists/(\\d+)$`);
  return {
    MutateUserLists: unaryHandler(ctx, (r) => String(r.customer_id ?? ''), (raw, requestId) => {
      const req = mutateRequest.parse(raw);
      if (req.operations.length === 0) {
        throw new GoogleAdsCallError(GrpcStatus.INVALID_ARGUMENT, [adsError({ request_error: 'OPERATION_REQUIRED' }, 'At least one operation is required.')]);
      }
      const errors: AdsError[] = [];
      const planned: (Planned | undefined)[] = [];
      const namesInRequest = new Set<string>();
      const takenNames = new Set([...state.userLists.values()].map((l) => l.name));
      req.operations.forEach((op, index) => {
        const fail = (code: Record<string, string>, message: string, ...field: string[]) => {
          errors.push(adsError(code, message, { location: operationLocation('operations', index, ...field) }));
          planned.push(undefined);
        };
        if (op.create) {
          const name = op.create.name?.trim() ?? '';
          if (!op.create.crm_based_user_list) return fail({ user_list_error: 'CONCRETE_TYPE_REQUIRED' }, 'Only CRM-based user lists are emulated.', 'create');
          if (!name) return fail({ user_list_error: 'INVALID_NAME' }, 'The user list name is required.', 'create', 'name');
          if (takenNames.has(name) || namesInRequest.has(name)) return fail({ user_list_error: 'NAME_ALREADY_USED' }, `The name '${name}' is already used.`, 'create', 'name');
          namesInRequest.add(name);
          return planned.push({ kind: 'create', name, description: op.create.description });
        }
        if (op.remove !== undefined) {
          const id = listPattern.exec(op.remove)?.[1];
          if (!id || !state.userLists.has(id)) return fail({ request_error: 'RESOURCE_NOT_FOUND' }, 'The user list was not found.', 'remove');
          return planned.push({ kind: 'remove', id });
        }
        return fail({ request_error: 'OPERATION_REQUIRED' }, 'Only create and remove operations are emulated.');
      });
      // without partial_failure the batch is atomic: one bad operation fails the whole call
      if (!req.partial_failure && errors.length) throw new GoogleAdsCallError(GrpcStatus.INVALID_ARGUMENT, errors);
      const results = planned.map((p) => {
        if (!p) return {};
        if (req.validate_only) return {};
        if (p.kind === 'remove') {
          state.userLists.delete(p.id);
          return { resource_name: `customers/${state.customerId}/userLists/${p.id}` };
        }
        const list = state.createUserList(p.name, p.description);
        return { resource_name: `customers/${state.customerId}/userLists/${list.id}` };
      });
      return { partial_failure_error: partialFailureStatus(errors, requestId), results };
    }),
  };
}
