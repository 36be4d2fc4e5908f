import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { IS_PUBLIC } from './public.decorator';

export const OPERATOR_TOKEN = Symbol('OPERATOR_TOKEN');

/** Every route needs `Authorization: Bearer <operator token>` unless marked @Public(). */
@Injectable()
export class OperatorTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    private readonly reflector: Reflector,
    @Inject(OPERATOR_TOKEN) token: string,
  ) {
    this.expected = digest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]))
      return true;
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const presented =
      match?.[1] ?? (typeof request.query.token === 'string' ? request.query.token : undefined);
    if (presented && timingSafeEqual(digest(presented), this.expected)) return true;
    throw new UnauthorizedException(
      presented ? 'operator token is wrong' : 'missing operator token: send Authorization: Bearer <token>',
    );
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
