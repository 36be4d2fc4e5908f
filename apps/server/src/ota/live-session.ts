import type { Deployment } from './deployment.entity';
import type { OtaArtifact } from './ota-artifact';
import type { OtaSession } from './ota-session.entity';
import type { ServedChunks } from './served-chunks';

/** A session with an offer out: what answering its chunk requests needs, in memory. */
export interface LiveSession {
  row: OtaSession;
  deployment: Deployment;
  artifact: OtaArtifact;
  /** Tensor arena the offer states: 32-bit estimate for microcontrollers, 64-bit for Linux. */
  arenaBytes: number;
  served: ServedChunks;
  lastActivity: number;
  /** When its progress was last queued for the database. */
  writtenAt: number;
}
