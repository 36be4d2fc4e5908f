import { PruningError } from '../pruning-error';
import { ChannelGroup, ChannelLayout, GraphNode, PruningGraph, WeightBinding } from './pruning-graph';

interface GroupDraft {
  size: number;
  prunable: boolean;
  producers: string[];
}

/** Creates channel groups and merges those an Add ties together (union-find). */
export class GroupRegistry {
  private readonly drafts = new Map<string, GroupDraft>();
  private readonly parent = new Map<string, string>();

  /** A new group; ids are layer names, which are unique in a model. */
  create(id: string, size: number, prunable: boolean, producer: string | null): string {
    this.drafts.set(id, { size, prunable, producers: producer ? [producer] : [] });
    this.parent.set(id, id);
    return id;
  }

  /** Marks every group on `layout` as not prunable. */
  freezeLayout(layout: ChannelLayout): void {
    for (const s of layout.segments) (this.drafts.get(this.root(s.groupId)) as GroupDraft).prunable = false;
  }

  /** Adds element-wise combine channel i of one input with channel i of the other: same group. */
  tie(a: ChannelLayout, b: ChannelLayout, layerName: string): void {
    const compatible =
      a.spatial === b.spatial &&
      a.segments.length === b.segments.length &&
      a.segments.every((s, i) => s.size === b.segments[i].size && s.repeat === b.segments[i].repeat);
    if (!compatible) {
      throw new PruningError(
        'UNSUPPORTED_TOPOLOGY',
        `layer "${layerName}" adds tensors whose channels come from differently split groups; ` +
          'add tensors with the same Concatenate/depthwise structure',
      );
    }
    a.segments.forEach((s, i) => this.union(s.groupId, b.segments[i].groupId));
  }

  /** Final graph with every group id replaced by its merged root. */
  resolve(parts: {
    nodes: GraphNode[];
    bindings: WeightBinding[];
    inputs: string[];
    outputs: string[];
  }): PruningGraph {
    const fix = (l: ChannelLayout): ChannelLayout => ({
      spatial: l.spatial,
      segments: l.segments.map((s) => ({ ...s, groupId: this.root(s.groupId) })),
    });
    const nodes = parts.nodes.map((n) => ({
      ...n,
      inLayouts: n.inLayouts.map(fix),
      outLayout: fix(n.outLayout),
    }));
    const bindings = parts.bindings.map((b) => ({
      ...b,
      axes: b.axes.map((a) => ({ ...a, layout: fix(a.layout) })),
    }));
    const members = new Map<string, Set<string>>();
    for (const b of bindings) {
      for (const a of b.axes) {
        for (const s of a.layout.segments) {
          if (!members.has(s.groupId)) members.set(s.groupId, new Set());
          members.get(s.groupId)?.add(b.layer);
        }
      }
    }
    const groups = new Map<string, ChannelGroup>();
    for (const [id, draft] of this.drafts) {
      if (this.root(id) !== id) continue;
      groups.set(id, {
        id,
        size: draft.size,
        prunable: draft.prunable,
        producers: draft.producers,
        members: [...(members.get(id) ?? [])],
      });
    }
    return { nodes, bindings, groups, inputs: parts.inputs, outputs: parts.outputs };
  }

  private root(id: string): string {
    let r = id;
    while (this.parent.get(r) !== r) r = this.parent.get(r) as string;
    return r;
  }

  private union(a: string, b: string): void {
    const ra = this.root(a);
    const rb = this.root(b);
    if (ra === rb) return;
    const da = this.drafts.get(ra) as GroupDraft;
    const db = this.drafts.get(rb) as GroupDraft;
    this.parent.set(rb, ra);
    da.prunable = da.prunable && db.prunable;
    da.producers.push(...db.producers);
  }
}
