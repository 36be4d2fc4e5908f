import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'fleetprune:public';

/** Marks a route that needs no operator token (health, dashboard shell). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
