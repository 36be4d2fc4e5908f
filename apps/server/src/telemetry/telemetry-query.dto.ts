import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export const TELEMETRY_GROUPS = ['device', 'artifact', 'modelVersion', 'profile'] as const;
export type TelemetryGroup = (typeof TELEMETRY_GROUPS)[number];

export class TelemetryQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  deviceId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  artifactId?: string;

  @ApiPropertyOptional({ description: 'windows ending at or after this time (ms since the epoch)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  since?: number;

  @ApiPropertyOptional({ description: 'windows ending before this time (ms since the epoch)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  until?: number;

  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;
}

export class TelemetrySummaryQueryDto extends TelemetryQueryDto {
  @ApiPropertyOptional({ enum: TELEMETRY_GROUPS, default: 'artifact' })
  @IsOptional()
  @IsIn(TELEMETRY_GROUPS)
  groupBy?: TelemetryGroup;
}

/** Totals over the windows of one group. */
export interface TelemetrySummaryRow {
  key: string;
  windows: number;
  samples: number;
  labelled: number;
  correct: number;
  /** correct / labelled, or null with no labelled samples. */
  accuracy: number | null;
  /** Sample-weighted mean latency, ms. */
  latencyMeanMs: number | null;
  /** Largest p95 of any window (an upper bound of the group's p95). */
  latencyP95MaxMs: number | null;
}
