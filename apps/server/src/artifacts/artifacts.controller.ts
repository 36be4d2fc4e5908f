import { Controller, Get, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AppError } from '../errors/app-error';
import { Artifact, ARTIFACT_KINDS, ArtifactKind } from './artifact.entity';
import { ArtifactsService } from './artifacts.service';

@ApiTags('artifacts')
@ApiBearerAuth()
@Controller('api/artifacts')
export class ArtifactsController {
  constructor(private readonly artifacts: ArtifactsService) {}

  @Get()
  @ApiQuery({ name: 'kind', required: false, enum: ARTIFACT_KINDS })
  list(@Query('kind') kind?: string): Promise<Artifact[]> {
    if (kind !== undefined && !(ARTIFACT_KINDS as readonly string[]).includes(kind)) {
      throw new AppError('INVALID_INPUT', `kind must be one of ${ARTIFACT_KINDS.join(', ')}`);
    }
    return this.artifacts.list(kind as ArtifactKind | undefined);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<Artifact> {
    return this.artifacts.get(id);
  }

  @Get(':id/files/:name')
  async download(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('name') name: string,
  ): Promise<StreamableFile> {
    const { stream, bytes } = await this.artifacts.openFile(id, name);
    return new StreamableFile(stream, {
      length: bytes,
      disposition: `attachment; filename="${name}"`,
      type: 'application/octet-stream',
    });
  }
}
