import { PruningError } from '../pruning-error';
import { KeepMap, PruningGraph } from '../graph/pruning-graph';

/** Throws unless every entry names a group and lists sorted, distinct, in-range channels (>= 1). */
export function validateKeep(graph: PruningGraph, keep: KeepMap): void {
  for (const [groupId, channels] of keep) {
    const group = graph.groups.get(groupId);
    if (!group) throw invalid(`unknown group "${groupId}"; take ids from buildPruningGraph(model).groups`);
    if (channels.length < 1) throw invalid(`group "${groupId}" must keep at least one channel`);
    channels.forEach((c, i) => {
      if (!Number.isInteger(c) || c < 0 || c >= group.size || (i > 0 && c <= channels[i - 1])) {
        throw invalid(`group "${groupId}" keep list must be sorted distinct integers in [0, ${group.size})`);
      }
    });
    if (!group.prunable && channels.length !== group.size) {
      throw invalid(`group "${groupId}" (model input/output or softmax) cannot be pruned; keep all channels`);
    }
  }
}

function invalid(message: string): PruningError {
  return new PruningError('INVALID_KEEP', message);
}
