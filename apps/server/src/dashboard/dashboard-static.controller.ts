import { Controller, Get, Next, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { join } from 'node:path';
import { Public } from '../auth/public.decorator';
import {
  findDashboardDir,
  isServerPath,
  listAssets,
  looksLikeFile,
  NOT_BUILT_PAGE,
} from './dashboard-assets';

/**
 * Serves the built dashboard at `/`: its files by name, and index.html for every other GET
 * that is not an API path, so client routes (/devices/<id>) survive a reload. Public: the
 * page carries no secret; every API call it makes needs the operator token.
 */
@ApiExcludeController()
@Public()
@Controller()
export class DashboardStaticController {
  private readonly dir = findDashboardDir(__dirname);
  private readonly assets = this.dir ? listAssets(this.dir) : new Set<string>();

  @Get('{*path}')
  serve(@Req() request: Request, @Res() response: Response, @Next() next: NextFunction): void {
    const path = request.path;
    if (isServerPath(path)) return next();
    if (!this.dir) {
      response.status(503).type('html').setHeader('Cache-Control', 'no-store').send(NOT_BUILT_PAGE);
      return;
    }
    const name = path.slice(1);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    if (name !== '' && this.assets.has(name)) {
      // File names carry no content hash, so the browser revalidates (ETag) instead of guessing.
      response.sendFile(join(this.dir, name), { headers: { 'Cache-Control': 'no-cache' } });
      return;
    }
    if (looksLikeFile(path)) {
      response.status(404).type('text').send(`no such file: ${name}`);
      return;
    }
    response.sendFile(join(this.dir, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } });
  }
}
