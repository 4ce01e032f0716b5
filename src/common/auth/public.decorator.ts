import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'pgw:isPublic';

/** Marks a route that needs no API key (health, metrics, avatar redirect). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
