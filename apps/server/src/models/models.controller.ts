import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { AppError } from '../errors/app-error';
import { UploadModelDto } from './upload-model.dto';
import { Model } from './model.entity';
import { ModelVersion } from './model-version.entity';
import { ModelsService } from './models.service';

/** The part of multer's file object we use (avoids a dependency on @types/multer). */
interface UploadedFile {
  originalname: string;
  buffer: Buffer;
}

const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

@ApiTags('models')
@ApiBearerAuth()
@Controller('api/models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  /** Multipart upload: field `name`, optional `dataset`, files `files` (model.json + weights). */
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name', 'files'],
      properties: {
        name: { type: 'string', example: 'fmnist-cnn' },
        dataset: { type: 'string', enum: ['fashion-mnist', 'mnist'] },
        files: {
          type: 'array',
          items: { type: 'string', format: 'binary' },
          description: 'model.json and its weight files',
        },
      },
    },
  })
  @UseInterceptors(FilesInterceptor('files', 256, { limits: { fileSize: MAX_UPLOAD_BYTES } }))
  upload(
    @Body() dto: UploadModelDto,
    @UploadedFiles() files: UploadedFile[] | undefined,
  ): Promise<{ model: Model; version: ModelVersion }> {
    if (!files || files.length === 0)
      throw new AppError(
        'INVALID_INPUT',
        'no files uploaded: send model.json and its weight files in the "files" field',
      );
    return this.models.upload({
      name: dto.name,
      dataset: dto.dataset,
      files: files.map((f) => ({ name: f.originalname, bytes: f.buffer })),
    });
  }

  @Get()
  list(): Promise<Model[]> {
    return this.models.list();
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<Model> {
    return this.models.get(id);
  }

  @Get('versions/:versionId')
  version(@Param('versionId', ParseUUIDPipe) id: string): Promise<ModelVersion> {
    return this.models.getVersion(id);
  }
}
