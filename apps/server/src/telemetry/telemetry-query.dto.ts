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

  @ApiPropertyOptional({
    description:
      'raw windows ending at or after this time; for summary and rollups, buckets starting at or after it (ms since the epoch)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  since?: number;

  @ApiPropertyOptional({
    description:
      'raw windows ending before this time; for summary and rollups, buckets starting before it (ms since the epoch)',
  })
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

/** Filters of the rollup-backed queries (summary, rollups). */
export class TelemetrySummaryQueryDto extends TelemetryQueryDto {
  @ApiPropertyOptional({ enum: TELEMETRY_GROUPS, default: 'artifact' })
  @IsOptional()
  @IsIn(TELEMETRY_GROUPS)
  groupBy?: TelemetryGroup;

  @ApiPropertyOptional({ description: "the device's profile when the windows arrived" })
  @IsOptional()
  @IsString()
  profile?: string;
}

export class TelemetryRollupsQueryDto extends TelemetrySummaryQueryDto {
  @ApiPropertyOptional({
    description: 'bucket length in seconds, a whole multiple of TELEMETRY_BUCKET_S (default: that)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366 * 86_400)
  bucketS?: number;
}

/** Rollup filters without paging or grouping. */
export type TelemetryRollupFilter = Pick<
  TelemetrySummaryQueryDto,
  'deviceId' | 'artifactId' | 'profile' | 'since' | 'until'
>;

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

/** One group's totals in one time bucket. */
export interface TelemetryRollupPoint extends TelemetrySummaryRow {
  /** Start of the bucket, ms since the epoch (server clock at ingestion). */
  bucketStart: number;
  /** Top-1 confidence counts in 10 bins, summed. */
  confidenceHistogram: number[];
}

/** What the closed loop asks of the rollups. */
export interface AccuracyTotalsFilter {
  profile?: string;
  artifactId?: string;
  /** Any number of devices (queried in chunks). */
  deviceIds?: string[];
  /** Buckets starting at or after this time (ms). */
  since: number;
  /** Buckets starting before this time (ms). */
  until?: number;
}

export interface AccuracyTotals {
  windows: number;
  samples: number;
  labelled: number;
  correct: number;
}
