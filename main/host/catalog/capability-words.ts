import type { CapabilityWords } from '../../../preload/api.ts';
import { describeCapability, isCapability } from '@plinth/sdk/protocol/capabilities';

/** Plain words for capability strings (CONTRACT §4); a string that is no capability is shown as it is. */
export const capabilityWords = (list: unknown): CapabilityWords[] =>
  (Array.isArray(list) ? list.filter((c): c is string => typeof c === 'string') : [])
    .map((capability) => ({ capability, description: isCapability(capability) ? describeCapability(capability) : capability }));
