import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  DeleteFieldSamplesQueryDto,
  FieldSampleStats,
  FieldSampleView,
  ListFieldSamplesQueryDto,
  RequestFieldSamplesDto,
} from './field-samples.dto';
import { FieldSamplesService } from './field-samples.service';

@ApiTags('field-samples')
@ApiBearerAuth()
@Controller('api/field-samples')
export class FieldSamplesController {
  constructor(private readonly samples: FieldSamplesService) {}

  /** Stored samples, newest first: metadata only, never the pixels. */
  @Get()
  list(@Query() query: ListFieldSamplesQueryDto): Promise<FieldSampleView[]> {
    return this.samples.list(query);
  }

  /** Per profile: count, labelled, misclassified; and accepted / evicted / rejected-by-reason counters. */
  @Get('stats')
  stats(): Promise<FieldSampleStats> {
    return this.samples.stats();
  }

  /** Asks each online device of the target to upload up to `max` samples. */
  @Post('request')
  @HttpCode(202)
  request(@Body() dto: RequestFieldSamplesDto): Promise<{ asked: number; deviceIds: string[] }> {
    return this.samples.request(dto);
  }

  /** Deletes a profile's stored samples. */
  @Delete()
  remove(@Query() query: DeleteFieldSamplesQueryDto): Promise<{ deleted: number }> {
    return this.samples.deleteProfile(query.profile);
  }
}
