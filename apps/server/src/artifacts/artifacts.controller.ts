import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import { MAX_MODEL_SIZE } from '@fleetprune/protocol';
import { AppError } from '../errors/app-error';
import { Artifact, ARTIFACT_KINDS, ArtifactKind } from './artifact.entity';
import { ArtifactsService } from './artifacts.service';
import { UploadArtifactDto } from './upload-artifact.dto';

@ApiTags('artifacts')
@ApiBearerAuth()
@Controller('api/artifacts')
export class ArtifactsController {
  constructor(private readonly artifacts: ArtifactsService) {}

  /** Registers a `.tflite` someone already has: validated, ops and arena computed, signed. */
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'an int8 .tflite model' },
        modelVersion: { type: 'string' },
        name: { type: 'string' },
      },
    },
  })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_MODEL_SIZE } }))
  upload(
    @Body() dto: UploadArtifactDto,
    @UploadedFile() file: { originalname: string; buffer: Buffer } | undefined,
  ): Promise<Artifact> {
    if (!file) throw new AppError('INVALID_INPUT', 'no file uploaded: send the .tflite in the "file" field');
    return this.artifacts.importTflite(file.buffer, { ...dto, fileName: file.originalname });
  }

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
