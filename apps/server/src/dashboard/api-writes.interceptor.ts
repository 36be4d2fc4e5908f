import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Observable, tap } from 'rxjs';
import { LiveUpdatesService } from './live-updates.service';
import type { LiveTopic } from './topic-coalescer';

/** Which topic a successful write under each API resource changes. */
const WRITES: { prefix: string; topic: LiveTopic }[] = [
  { prefix: '/api/devices', topic: 'devices' },
  { prefix: '/api/deployments', topic: 'deployments' },
  { prefix: '/api/rollouts', topic: 'deployments' },
  { prefix: '/api/pruning-jobs', topic: 'jobs' },
  { prefix: '/api/models', topic: 'models' },
  { prefix: '/api/artifacts', topic: 'models' },
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Tells open dashboards about successful API writes that no domain event covers (a device
 * registered or edited, a model uploaded), whichever client made them: the CLI, a script or
 * another browser. The item's id comes from the path, or from the created resource.
 */
@Injectable()
export class ApiWritesInterceptor implements NestInterceptor {
  constructor(private readonly live: LiveUpdatesService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const write = request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS';
    const match = write ? WRITES.find((w) => request.path.startsWith(w.prefix)) : undefined;
    if (!match) return next.handle();
    return next
      .handle()
      .pipe(
        tap((body: unknown) =>
          this.live.notify(match.topic, idsOf(request.path.slice(match.prefix.length), body)),
        ),
      );
  }
}

function idsOf(rest: string, body: unknown): string[] | null {
  const fromPath = rest.split('/')[1];
  if (fromPath && UUID.test(fromPath)) return [fromPath];
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? [id] : null;
}
