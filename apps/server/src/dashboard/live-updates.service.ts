import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Subject, Subscription } from 'rxjs';
import { EventsService } from '../events/events.service';
import { OtaEngine } from '../ota/ota-engine.service';
import { PruningJobRunner } from '../pruning-jobs/pruning-job-runner';
import { TelemetryIngestService } from '../telemetry/telemetry-ingest.service';
import { LiveTopic, LiveUpdate, TopicCoalescer } from './topic-coalescer';

/**
 * One coalesced feed of "what changed" for every open dashboard: audit events, pruning jobs,
 * device presence and models, deployment sessions and telemetry batches. Sources are
 * subscribed once, however many browsers listen.
 */
@Injectable()
export class LiveUpdatesService implements OnModuleInit, OnModuleDestroy {
  /** Throttled updates (see TopicCoalescer); each stream connection subscribes here. */
  readonly updates$ = new Subject<LiveUpdate>();
  private readonly coalescer = new TopicCoalescer((update) => this.updates$.next(update));
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly events: EventsService,
    private readonly ota: OtaEngine,
    private readonly telemetry: TelemetryIngestService,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // The runner is internal to its module (only its service is exported); read-only use here.
    const runner = this.moduleRef.get(PruningJobRunner, { strict: false });
    this.subscriptions.push(
      this.events.recorded$.subscribe((event) => this.coalescer.push('events', [String(event.id)])),
      runner.changes$.subscribe((job) => this.coalescer.push('jobs', [job.id])),
      this.ota.changes$.subscribe((change) =>
        this.coalescer.push(change.kind === 'device' ? 'devices' : 'deployments', [change.id]),
      ),
      this.telemetry.stored$.subscribe((deviceIds) => this.coalescer.push('telemetry', deviceIds)),
    );
  }

  /** Reports a change no source emits (e.g. an API write, from ApiWritesInterceptor). */
  notify(topic: LiveTopic, ids: string[] | null): void {
    this.coalescer.push(topic, ids);
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.coalescer.close();
    this.updates$.complete();
  }
}
