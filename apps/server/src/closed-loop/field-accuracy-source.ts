/** Labelled counts of field telemetry matching a filter (provided by the telemetry module). */
export interface FieldAccuracySource {
  accuracyTotals(filter: {
    profile?: string;
    artifactId?: string;
    deviceIds?: string[];
    since: number;
    until?: number;
  }): Promise<{ windows: number; samples: number; labelled: number; correct: number }>;
}

/** Injection token of the FieldAccuracySource. */
export const FIELD_ACCURACY_SOURCE = Symbol('FIELD_ACCURACY_SOURCE');
