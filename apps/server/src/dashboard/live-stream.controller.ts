import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LiveUpdatesService } from './live-updates.service';

/** Comment lines that keep proxies and the browser from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000;

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('api/stream')
export class LiveStreamController {
  constructor(private readonly live: LiveUpdatesService) {}

  /**
   * Server-sent events: `update` messages `{topic, ids}` (ids null: refetch all), at most two a
   * second per topic. Authenticated by the Authorization header (read it with fetch), so the
   * token never goes into a URL.
   */
  @Get()
  @ApiOkResponse({ description: 'text/event-stream of {topic, ids} updates' })
  stream(@Req() request: Request, @Res() response: Response): void {
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write(`retry: 3000\nevent: ready\ndata: {}\n\n`);
    const subscription = this.live.updates$.subscribe({
      next: (update) => response.write(`event: update\ndata: ${JSON.stringify(update)}\n\n`),
      complete: () => response.end(),
    });
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    keepAlive.unref();
    request.on('close', () => {
      clearInterval(keepAlive);
      subscription.unsubscribe();
    });
  }
}
