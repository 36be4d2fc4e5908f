import { ChannelLayout, ChannelSegment, KeepMap } from './pruning-graph';

/** Channels on the tensor's last axis described by `layout`. */
export function layoutWidth(layout: ChannelLayout): number {
  return layout.spatial * segmentWidth(layout.segments);
}

function segmentWidth(segments: readonly ChannelSegment[]): number {
  return segments.reduce((sum, s) => sum + s.size * s.repeat, 0);
}

/** Width of `layout` when each group keeps `widths.get(groupId)` channels (default: all). */
export function layoutWidthFor(layout: ChannelLayout, widths: ReadonlyMap<string, number>): number {
  let perPosition = 0;
  for (const s of layout.segments) perPosition += (widths.get(s.groupId) ?? s.size) * s.repeat;
  return layout.spatial * perPosition;
}

/** Indices on the last axis that survive when each group keeps `keep.get(groupId)`. */
export function keptLayoutIndices(layout: ChannelLayout, keep: KeepMap): number[] {
  const perPosition = segmentWidth(layout.segments);
  const result: number[] = [];
  for (let s = 0; s < layout.spatial; s++) {
    let offset = s * perPosition;
    for (const seg of layout.segments) {
      const kept = keep.get(seg.groupId);
      const channels = kept ?? rangeOf(seg.size);
      for (const c of channels) {
        for (let r = 0; r < seg.repeat; r++) result.push(offset + c * seg.repeat + r);
      }
      offset += seg.size * seg.repeat;
    }
  }
  return result;
}

/** For every index of the last axis, the group channel it belongs to. */
export function layoutChannelOwners(layout: ChannelLayout): { groupId: string; channel: number }[] {
  const owners: { groupId: string; channel: number }[] = [];
  for (let s = 0; s < layout.spatial; s++) {
    for (const seg of layout.segments) {
      for (let c = 0; c < seg.size; c++) {
        for (let r = 0; r < seg.repeat; r++) owners.push({ groupId: seg.groupId, channel: c });
      }
    }
  }
  return owners;
}

/** 0..n-1. */
export function rangeOf(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
