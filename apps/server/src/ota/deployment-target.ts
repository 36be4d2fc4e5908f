import { AppError } from '../errors/app-error';

export const TARGET_KINDS = ['device', 'group', 'tag', 'profile'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** Which devices a deployment addresses. */
export interface DeploymentTarget {
  kind: TargetKind;
  value: string;
}

/** The syntax operators write: `device:<id>`, `group:<name>`, `tag:<name>`, `profile:<name>`. */
export const TARGET_PATTERN = /^(device|group|tag|profile):([A-Za-z0-9][A-Za-z0-9_.:-]{0,127})$/;

/** Parses a target string; INVALID_INPUT naming the accepted forms otherwise. */
export function parseDeploymentTarget(text: string): DeploymentTarget {
  const match = TARGET_PATTERN.exec(text);
  if (!match)
    throw new AppError(
      'INVALID_INPUT',
      `target ${JSON.stringify(text)} must be one of device:<id>, group:<name>, tag:<name>, profile:<name>`,
    );
  return { kind: match[1] as TargetKind, value: match[2] };
}

/** The profile a `profile:<name>` target names (events are filed under it), else null. */
export function profileOfTarget(text: string): string | null {
  const match = TARGET_PATTERN.exec(text);
  return match?.[1] === 'profile' ? match[2] : null;
}
