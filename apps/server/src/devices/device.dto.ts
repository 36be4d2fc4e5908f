import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { DEVICE_STATUSES, DeviceStatus } from './device.entity';

const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const LABEL_MESSAGE = 'must be 1-64 of letters, digits, _ . : - (starting with a letter or digit)';

export class RegisterDeviceDto {
  @ApiProperty({ example: 'greenhouse-cam-07' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  name!: string;

  @ApiProperty({ example: 'esp32', description: 'a device profile name (GET /api/profiles)' })
  @IsString()
  @MaxLength(64)
  profile!: string;

  @ApiPropertyOptional({ example: 'greenhouse' })
  @IsOptional()
  @Matches(LABEL, { message: `group ${LABEL_MESSAGE}` })
  group?: string;

  @ApiPropertyOptional({ example: ['north', 'battery'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(LABEL, { each: true, message: `each tag ${LABEL_MESSAGE}` })
  tags?: string[];
}

export class UpdateDeviceDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  profile?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null removes the device from its group' })
  @IsOptional()
  @Matches(LABEL, { message: `group ${LABEL_MESSAGE}` })
  group?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(LABEL, { each: true, message: `each tag ${LABEL_MESSAGE}` })
  tags?: string[];
}

export class ListDevicesQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  profile?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  group?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  tag?: string;

  @ApiPropertyOptional({ enum: DEVICE_STATUSES })
  @IsOptional()
  @IsIn(DEVICE_STATUSES)
  status?: DeviceStatus;

  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

/** What a device needs to reach the broker; the password is shown only in this answer. */
export interface DeviceCredentialsView {
  username: string;
  password: string;
  clientId: string;
  topicPrefix: string;
}

export interface DeviceView {
  id: string;
  name: string;
  profile: string;
  group: string | null;
  tags: string[];
  status: DeviceStatus;
  lastSeenAt: string | null;
  activeArtifactId: string | null;
  activeModelVersion: string | null;
  createdAt: string;
}
